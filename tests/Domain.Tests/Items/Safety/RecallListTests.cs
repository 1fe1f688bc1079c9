using NeXChange.Items.Safety;

namespace NeXChange.Domain.Tests.Items.Safety;

public sealed class RecallListTests
{
    private static RecallList Parse(string csv) => RecallListCsv.Parse(new StringReader(csv));

    [Fact]
    public void brand_and_model_match_trimmed_and_in_any_case()
    {
        var list = Parse("brand,model,recallId,title,recallDate\n ACME , RX-200 ,R1,Heater,2024-01-01\n");

        Assert.Equal(["R1"], list.Match("acme", "rx-200"));
        Assert.Equal(["R1"], list.Match("  Acme", "Rx-200  "));
        Assert.Empty(list.Match("acme", "rx-300"));
        Assert.Empty(list.Match("acme co", "rx-200"));
    }

    [Fact]
    public void a_row_without_model_matches_every_model_of_the_brand()
    {
        var list = Parse("brand,model,recallId,title,recallDate\nacme,,R9,All blankets,2023-11-02\nacme,rx-200,R1,Heater,2024-01-01\n");

        Assert.Equal(["R9", "R1"], list.Match("acme", "rx-200"));
        Assert.Equal(["R9"], list.Match("acme", "anything"));
        Assert.Equal(["R9"], list.Match("acme", ""));
    }

    [Fact]
    public void a_row_with_a_model_does_not_match_an_item_without_one()
    {
        Assert.Empty(Parse("brand,model,recallId,title,recallDate\nacme,rx-200,R1,Heater,2024-01-01\n").Match("acme", ""));
    }

    [Fact]
    public void quoted_fields_keep_commas_quotes_and_line_breaks()
    {
        var list = Parse("brand,model,recallId,title,recallDate\r\n\"Acme, Inc.\",\"RX \"\"Pro\"\"\",R1,\"Line one\r\nline two, still title\",2024-01-01\r\nbeta,b1,R2,t,2024-02-02");

        Assert.Equal(2, list.Count);
        Assert.Equal(["R1"], list.Match("acme, inc.", "rx \"pro\""));
        Assert.Equal(["R2"], list.Match("beta", "b1"));
    }

    [Fact]
    public void columns_are_found_by_header_name_and_blank_lines_are_skipped()
    {
        var list = Parse("RecallId,Title,Brand,Model,recallDate,note\n\nR5,Kettle,Kettle Co,K1,2024-03-03,\n\n");

        Assert.Equal(["R5"], list.Match("kettle co", "k1"));
    }

    [Fact]
    public void the_same_recall_on_two_matching_rows_is_reported_once()
    {
        var list = Parse("brand,model,recallId,title,recallDate\nacme,,R1,a,2024-01-01\nacme,rx,R1,b,2024-01-01\n");

        Assert.Equal(["R1"], list.Match("acme", "rx"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("brand,recallId,title\nacme,R1,t\n")]
    [InlineData("brand,model,recallId,title,recallDate\nacme,rx,R1,t\n")]
    [InlineData("brand,model,recallId,title,recallDate\n,rx,R1,t,2024-01-01\n")]
    [InlineData("brand,model,recallId,title,recallDate\nacme,rx,,t,2024-01-01\n")]
    [InlineData("brand,model,recallId,title,recallDate\nacme,rx,R1,\"unclosed,2024-01-01\n")]
    [InlineData("brand,model,recallId,title,recallDate\nacme,r\"x,R1,t,2024-01-01\n")]
    public void a_file_with_a_row_that_cannot_be_read_is_refused_whole(string csv)
    {
        Assert.Throws<FormatException>(() => Parse(csv));
    }

    [Fact]
    public void the_error_names_the_line_of_the_bad_row()
    {
        var e = Assert.Throws<FormatException>(() => Parse("brand,model,recallId,title,recallDate\nacme,rx,R1,\"two\nlines\",d\nacme,rx\n"));

        Assert.Contains("line 4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void the_shipped_example_list_reads()
    {
        var example = Path.Combine(RepositoryRoot(), "deploy", "recalls.example.csv");

        using var reader = new StreamReader(example);
        var list = RecallListCsv.Parse(reader);

        Assert.Equal(["CPSC-24-101", "CPSC-23-077"], list.Match("ACME", "rx-200"));
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NeXChange.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("NeXChange.sln not found above the test binaries.");
    }
}
