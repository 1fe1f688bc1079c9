using System.Data;
using NeXChange.Search;
using Npgsql;

namespace NeXChange.Grains.Tests.Search;

/// <summary>
/// The title index of 0028_search_speed.sql (distinct titles of active items and their word suffixes) must stay equal
/// to its definition under every kind of write, and suggestions read from it must answer as SPEC.md 5.5 says.
/// </summary>
public sealed class SuggestionIndexTests(SearchCluster cluster) : IClassFixture<SearchCluster>
{
    private static string Word() => $"qx{Guid.NewGuid():N}"[..10];

    private async Task<List<string>> ItemSuggestionsAsync(string q) =>
        (await cluster.Search.Suggest(q)).Where(s => s.Type == "item").Select(s => s.Text).ToList();

    [Fact]
    public async Task title_index_stays_exact_under_edits_tombstones_refused_versions_and_deletes()
    {
        var owner = await cluster.UserAsync();
        var category = await cluster.CategoryAsync($"Titles {Guid.NewGuid():N}");
        var word = Word();
        await AssertTitleIndexExactAsync();

        var lamp = await cluster.IndexAsync(SearchCluster.Document(owner, category, $"Brass {word} desk lamp"));
        var twin = await cluster.IndexAsync(SearchCluster.Document(owner, category, $"Brass {word} desk lamp"));
        await cluster.IndexAsync(SearchCluster.Document(owner, category, $"Draft {word} chair", status: "draft"));
        await AssertTitleIndexExactAsync();

        Assert.True(await cluster.Index.UpsertAsync(lamp with { Version = 2, Title = $"Copper {word}-shade floor lamp" }));
        Assert.False(await cluster.Index.UpsertAsync(lamp with { Version = 1, Title = $"Refused {word} title" }));
        await AssertTitleIndexExactAsync();

        Assert.True(await cluster.Index.UpsertAsync(twin with { Version = 2, Status = "archived" }));
        await AssertTitleIndexExactAsync();
        Assert.True(await cluster.Index.UpsertAsync(twin with { Version = 3, Status = "active" }));
        await AssertTitleIndexExactAsync();

        await cluster.ExecuteAsync("delete from search_items where item_id = any($1)", new[] { lamp.ItemId, twin.ItemId });
        await AssertTitleIndexExactAsync();
    }

    [Fact]
    public async Task suggestions_follow_title_changes_and_removals_and_match_word_starts_only()
    {
        var owner = await cluster.UserAsync();
        var category = await cluster.CategoryAsync($"Suggest {Guid.NewGuid():N}");
        var word = Word();
        var lamp = await cluster.IndexAsync(SearchCluster.Document(owner, category, $"Brass {word}lamp desk light"));

        // A word start anywhere in the title, after a space or punctuation; never inside a word.
        Assert.Equal([$"Brass {word}lamp desk light"], await ItemSuggestionsAsync(word.ToUpperInvariant()));
        Assert.Equal([$"Brass {word}lamp desk light"], await ItemSuggestionsAsync($"{word}lamp desk"));
        Assert.Empty(await ItemSuggestionsAsync(word[1..]));

        Assert.True(await cluster.Index.UpsertAsync(lamp with { Version = 2, Title = $"Copper ({word}shade) floor light" }));
        Assert.Equal([$"Copper ({word}shade) floor light"], await ItemSuggestionsAsync(word));
        Assert.Empty(await ItemSuggestionsAsync($"{word}lamp"));

        Assert.True(await cluster.Index.UpsertAsync(lamp with { Version = 3, Title = $"Copper ({word}shade) floor light", Status = "reserved" }));
        Assert.Empty(await ItemSuggestionsAsync(word));
        Assert.True(await cluster.Index.UpsertAsync(lamp with { Version = 4, Title = $"Copper ({word}shade) floor light", Status = "active" }));
        Assert.Equal([$"Copper ({word}shade) floor light"], await ItemSuggestionsAsync(word));

        // The same title of a deleted owner's item does not keep it; another owner's active copy does.
        var other = await cluster.UserAsync();
        var copy = await cluster.IndexAsync(SearchCluster.Document(other, category, $"Copper ({word}shade) floor light"));
        await cluster.ExecuteAsync("update users set deleted_at = now() where id = $1", owner);
        Assert.Equal([$"Copper ({word}shade) floor light"], await ItemSuggestionsAsync(word));
        await cluster.ExecuteAsync("update users set deleted_at = now() where id = $1", other);
        Assert.Empty(await ItemSuggestionsAsync(word));

        await cluster.ExecuteAsync("update users set deleted_at = null where id = $1", other);
        await cluster.ExecuteAsync("delete from search_items where item_id = $1", copy.ItemId);
        Assert.Empty(await ItemSuggestionsAsync(word));
    }

    [Fact]
    public async Task a_short_title_similar_to_q_is_suggested_without_a_word_prefix()
    {
        var owner = await cluster.UserAsync();
        var category = await cluster.CategoryAsync($"Similar {Guid.NewGuid():N}");
        var word = Word();
        // Ten characters: q below shares most of its trigrams (similarity >= 0.3) but starts no word of it.
        var title = $"{word[..2]}z{word[2..9]}";
        await cluster.IndexAsync(SearchCluster.Document(owner, category, title));
        var q = $"{word[..2]}{word[2..9]}";

        Assert.True(await cluster.ScalarAsync<bool>("select similarity(lower($1), $2) >= 0.3", title, q));
        Assert.Equal([title], await ItemSuggestionsAsync(q));
    }

    /// <summary>
    /// In one snapshot: search_titles holds each title of an active item with its count, and search_title_suffixes
    /// each suffix of lower(title) that starts a word (where the regex \m matches), for those titles only.
    /// </summary>
    private async Task AssertTitleIndexExactAsync()
    {
        await using var connection = new NpgsqlConnection(cluster.Postgres);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead);
        async Task<List<string>> Rows(string sql)
        {
            var rows = new List<string>();
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows.Add($"{reader.GetString(0)}|{reader.GetValue(1)}");
            return rows.Order(StringComparer.Ordinal).ToList();
        }
        Assert.Equal(
            await Rows("select title, count(*) from search_items where status = 'active' group by title"),
            await Rows("select title, items from search_titles"));
        Assert.Equal(
            await Rows("""
                select distinct substr(lower(s.title), i), s.title
                from search_items s, generate_series(1, length(lower(s.title))) i
                where s.status = 'active' and lower(s.title) ~ ('^.{' || (i - 1) || '}\m')
                """),
            await Rows("select suffix, title from search_title_suffixes"));
    }
}
