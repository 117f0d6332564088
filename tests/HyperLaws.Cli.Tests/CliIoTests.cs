using HyperLaws.Cli.Output;
using Spectre.Console;
using Xunit;

namespace HyperLaws.Cli.Tests;

/// <summary><see cref="CliIo.TableText"/>: the text a console of <see cref="CliIo.Table()"/> prints, laid out into a buffer.</summary>
public sealed class CliIoTests
{
    private static void Tables(IAnsiConsole console)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("plan").AddColumn("setting").AddColumn(new TableColumn("value").RightAligned()).AddColumn("from");
        table.AddRow("schedule", Markup.Escape("wsd:peak=0.00123,warmup=1934,cooldown=0.2"), "optlaw");
        table.AddRow("predicted final loss", "2.7183 (2.6 to 2.8) [red]NOT PHYSICAL[/]", Markup.Escape("optlaw; [bracketed] words " + new string('x', 90)));
        console.Write(table);
        console.MarkupLine("[bold]warnings[/]");
        console.MarkupLine(Markup.Escape("- a warning that is long enough to wrap at the console's width of 120 columns, " + new string('y', 80) + "."));
    }

    [Fact]
    public void The_buffered_tables_are_the_text_the_console_prints()
    {
        var direct = new StringWriter();
        Tables(new CliIo(direct, TextWriter.Null).Table());
        var buffered = new StringWriter();
        var io = new CliIo(buffered, TextWriter.Null);
        string text = io.TableText(Tables);
        Assert.Equal("", buffered.ToString());   // nothing printed until the caller prints it
        Assert.Equal(direct.ToString(), text);
        Assert.Contains("╭", text, StringComparison.Ordinal);   // the rounded border: Unicode, as the output's encoding allows
        Assert.Contains("NOT PHYSICAL", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Tables_laid_out_side_by_side_are_each_the_printed_text()
    {
        var direct = new StringWriter();
        Tables(new CliIo(direct, TextWriter.Null).Table());
        var io = new CliIo(new StringWriter(), TextWriter.Null);
        var texts = new string[6];
        Parallel.For(0, texts.Length, i => texts[i] = io.TableText(Tables));
        Assert.All(texts, t => Assert.Equal(direct.ToString(), t));
    }
}
