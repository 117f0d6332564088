using System.Globalization;
using System.Text;
using System.Text.Json;

namespace HyperLaws.Schedules;

/// <summary>
/// The JSON form: an object with "family" and one property per field; lists are arrays of numbers and
/// nested schedules are objects, e.g. <c>{"family":"continued","previous":{"family":"cosine",...},"next":{...}}</c>.
/// </summary>
internal static class SpecJson
{
    public static string Write(SpecNode node)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
            Write(node, w);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Write(SpecNode node, Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("family", node.Family);
        foreach (var (key, value) in node.Fields)
        {
            w.WritePropertyName(key);
            switch (value)
            {
                case SpecValue.Scalar { IsString: true } s: w.WriteStringValue(s.Text); break;
                case SpecValue.Scalar s: WriteNumber(s.Text, w); break;
                case SpecValue.List l:
                    w.WriteStartArray();
                    foreach (string item in l.Items) WriteNumber(item, w);
                    w.WriteEndArray();
                    break;
                case SpecValue.Nested n: Write(n.Node, w); break;
            }
        }
        w.WriteEndObject();
    }

    private static void WriteNumber(string text, Utf8JsonWriter w)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n)) w.WriteNumberValue(n);
        else w.WriteNumberValue(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    public static SpecNode Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return Node(doc.RootElement, "the JSON spec");
        }
        catch (JsonException e)
        {
            throw new ScheduleSpecException($"invalid JSON schedule spec: {e.Message}", e);
        }
    }

    private static SpecNode Node(JsonElement e, string where)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new ScheduleSpecException($"{where} must be a JSON object with a \"family\"");
        string? family = null;
        var fields = new List<KeyValuePair<string, SpecValue>>();
        foreach (var p in e.EnumerateObject())
        {
            if (string.Equals(p.Name, "family", StringComparison.OrdinalIgnoreCase))
            {
                if (p.Value.ValueKind != JsonValueKind.String) throw new ScheduleSpecException($"{where}: \"family\" must be a string");
                family = p.Value.GetString();
                continue;
            }
            fields.Add(new(p.Name, p.Value.ValueKind switch
            {
                JsonValueKind.Number => new SpecValue.Scalar(p.Value.GetRawText(), false),
                JsonValueKind.String => new SpecValue.Scalar(p.Value.GetString()!, true),
                JsonValueKind.Array => new SpecValue.List([.. p.Value.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Number
                    ? x.GetRawText()
                    : throw new ScheduleSpecException($"{family ?? where}: field '{p.Name}' must be an array of numbers"))]),
                JsonValueKind.Object => new SpecValue.Nested(Node(p.Value, $"field '{p.Name}'")),
                _ => throw new ScheduleSpecException($"{family ?? where}: field '{p.Name}' has an unsupported JSON value ({p.Value.ValueKind})"),
            }));
        }
        if (family is null) throw new ScheduleSpecException($"{where} has no \"family\"");
        return new SpecNode(family, fields);
    }
}
