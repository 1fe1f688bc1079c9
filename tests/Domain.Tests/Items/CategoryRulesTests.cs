using NeXChange.Errors;
using NeXChange.Items;
using NeXChange.Items.Categories;

namespace NeXChange.Domain.Tests.Items;

public sealed class CategoryRulesTests
{
    [Theory]
    [InlineData("Phones & Tablets", "phones-tablets")]
    [InlineData("  Café  Crème ", "cafe-creme")]
    [InlineData("Tools & DIY", "tools-diy")]
    [InlineData("日本", "category")]
    public void slugs_are_lower_case_ascii_words_joined_by_single_dashes(string name, string slug) =>
        Assert.Equal(slug, CategoryRules.Slug(name));

    [Fact]
    public void a_taken_slug_gets_the_next_free_number() =>
        Assert.Equal("books-3", CategoryRules.UniqueSlug("Books", new HashSet<string> { "books", "books-2" }));

    [Theory]
    [InlineData("", FieldCodes.Required)]
    [InlineData(" A ", FieldCodes.TooShort)]
    public void names_need_two_to_sixty_characters(string name, string code)
    {
        var e = Assert.Throws<DomainException>(() => CategoryRules.ValidName(name));
        Assert.Equal(code, e.Errors.Single().Code);
        Assert.Equal(FieldCodes.TooLong, Assert.Throws<DomainException>(() => CategoryRules.ValidName(new string('x', 61))).Errors.Single().Code);
        Assert.Equal("Ab", CategoryRules.ValidName("  Ab "));
    }

    private static readonly Guid Root = Guid.NewGuid(), Child = Guid.NewGuid(), Grandchild = Guid.NewGuid(), Other = Guid.NewGuid();

    private static Dictionary<Guid, Category> Tree() => new()
    {
        [Root] = new Category(Root, "Root", "root", null, 0, true),
        [Child] = new Category(Child, "Child", "child", Root, 0, true),
        [Grandchild] = new Category(Grandchild, "Grandchild", "grandchild", Child, 0, true),
        [Other] = new Category(Other, "Other", "other", null, 0, true),
    };

    [Fact]
    public void a_fourth_level_is_refused_and_a_third_is_allowed()
    {
        CategoryRules.CheckPlacement(null, Child, Tree());
        var e = Assert.Throws<DomainException>(() => CategoryRules.CheckPlacement(null, Grandchild, Tree()));
        Assert.Equal(FieldCodes.OutOfRange, e.Errors.Single().Code);
    }

    [Fact]
    public void moving_a_subtree_counts_its_own_height()
    {
        // Root has two levels below it: under Other it would reach depth 4.
        Assert.Throws<DomainException>(() => CategoryRules.CheckPlacement(Root, Other, Tree()));
        CategoryRules.CheckPlacement(Grandchild, Other, Tree());
    }

    [Fact]
    public void a_category_cannot_move_under_itself_or_a_descendant()
    {
        Assert.Equal(FieldCodes.InvalidValue, Assert.Throws<DomainException>(() => CategoryRules.CheckPlacement(Root, Grandchild, Tree())).Errors.Single().Code);
        Assert.Equal(FieldCodes.InvalidValue, Assert.Throws<DomainException>(() => CategoryRules.CheckPlacement(Child, Child, Tree())).Errors.Single().Code);
    }

    [Fact]
    public void an_unknown_parent_is_refused() =>
        Assert.Equal(FieldCodes.UnknownValue, Assert.Throws<DomainException>(() => CategoryRules.CheckPlacement(null, Guid.NewGuid(), Tree())).Errors.Single().Code);
}
