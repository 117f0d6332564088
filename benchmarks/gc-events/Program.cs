// The GC events of one CLI command, in process (issue 12, helper coldplan2): gen0/1/2 collections by reason (GCStart) and the
// large-object heap's allocations by type and object size (GCAllocationTick, kind 1), from an EventListener on the runtime.
//   dotnet build benchmarks/gc-events -c Release
//   dotnet benchmarks/gc-events/bin/Release/net10.0/linux-x64/gc-events.dll src/HyperLaws.Cli/bin/Release/net10.0/linux-x64/hyperlaws.dll plan --params 400M --tokens 590B --no-fit-cache --quiet --out DIR
using System.Diagnostics.Tracing;
using System.Reflection;
using System.Collections.Concurrent;

var dll = args[0];
using var l = new L();
var asm = Assembly.LoadFrom(dll);
int rc = (int)(asm.EntryPoint!.Invoke(null, [args[1..]]) ?? 0);
Thread.Sleep(1500);
Console.Error.WriteLine($"rc {rc}; gen0 {GC.CollectionCount(0)} gen1 {GC.CollectionCount(1)} gen2 {GC.CollectionCount(2)}; total alloc {GC.GetTotalAllocatedBytes()/1e6:F0} MB");
foreach (var kv in l.Gcs.OrderBy(k => k.Key)) Console.Error.WriteLine($"GC {kv.Key}: {kv.Value}");
Console.Error.WriteLine("LOH ticks by type/size (count, MB):");
foreach (var kv in l.Loh.OrderByDescending(k => k.Value.n * (double)k.Value.b).Take(40)) Console.Error.WriteLine($"  {kv.Key}: {kv.Value.n} x = {kv.Value.b/1e6:F1} MB");
return rc;
sealed class L : EventListener {
  public ConcurrentDictionary<string,(int n,long b)> Loh = new();
  public ConcurrentDictionary<string,int> Gcs = new();
  protected override void OnEventSourceCreated(EventSource s) { if (s.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(s, EventLevel.Verbose, (EventKeywords)0x1); }
  protected override void OnEventWritten(EventWrittenEventArgs e) {
    if (e.EventName is null) return;
    if (e.EventName.StartsWith("GCAllocationTick")) {
      int i = e.PayloadNames!.IndexOf("AllocationKind"); uint kind = Convert.ToUInt32(e.Payload![i]);
      if (kind != 1) return;
      string t = (string)e.Payload[e.PayloadNames.IndexOf("TypeName")]!;
      int j = e.PayloadNames.IndexOf("ObjectSize"); long size = j >= 0 ? Convert.ToInt64(e.Payload[j]) : -1;
      string key = $"{t} {size}";
      Loh.AddOrUpdate(key, (1, size), (_, v) => (v.n + 1, v.b + size));
    } else if (e.EventName.StartsWith("GCStart")) {
      int gen = Convert.ToInt32(e.Payload![e.PayloadNames!.IndexOf("Depth")]);
      int reason = Convert.ToInt32(e.Payload[e.PayloadNames.IndexOf("Reason")]);
      Gcs.AddOrUpdate($"gen{gen} reason{reason}", 1, (_, v) => v + 1);
    }
  }
}
