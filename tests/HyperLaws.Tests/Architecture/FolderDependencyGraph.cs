using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace HyperLaws.Tests.Architecture;

/// <summary>
/// The folder dependency graph of a compiled assembly, read from its metadata: folder A depends on folder B
/// when a type of A names a type of B anywhere the compiler kept it — base type, interfaces, generic
/// constraints, fields, method and property signatures, attributes, locals, and every type, method or field
/// token in the IL of its method bodies (lambdas and iterators included: their compiler-made types nest in
/// the type that wrote them). A node is a namespace cut to <c>depth</c> segments below the root, so with
/// depth 1 <c>HyperLaws.Laws.Joint</c> counts as <c>Laws</c>. Unused usings leave no trace in metadata,
/// so the graph cannot go stale the way a source scan can.
/// </summary>
internal sealed class FolderDependencyGraph
{
    private readonly MetadataReader _md;
    private readonly string _root;
    private readonly int _depth;
    private readonly Dictionary<string, SortedDictionary<string, SortedSet<string>>> _edges = new(StringComparer.Ordinal);
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private FolderDependencyGraph(MetadataReader md, string root, int depth)
    {
        _md = md;
        _root = root;
        _depth = depth;
    }

    /// <summary>Folder -> (folder it depends on -> the types that carry the dependency, "From -> To").</summary>
    public IReadOnlyDictionary<string, SortedDictionary<string, SortedSet<string>>> Edges => _edges;

    public IEnumerable<string> Nodes => _edges.Keys.Concat(_edges.Values.SelectMany(e => e.Keys)).Distinct().Order(StringComparer.Ordinal);

    public static FolderDependencyGraph Read(string assemblyPath, string rootNamespace, int depth)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var graph = new FolderDependencyGraph(pe.GetMetadataReader(), rootNamespace, depth);
        graph.Build(pe);
        return graph;
    }

    /// <summary>One cycle as "A -> B -> ... -> A", or null when the graph is acyclic.</summary>
    public IReadOnlyList<string>? FindCycle()
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 on the stack, 2 done
        var stack = new List<string>();
        foreach (string start in Nodes)
        {
            var cycle = Visit(start);
            if (cycle is not null) return cycle;
        }
        return null;

        List<string>? Visit(string node)
        {
            if (state.TryGetValue(node, out int s))
            {
                if (s == 2) return null;
                int at = stack.IndexOf(node);
                return [.. stack.Skip(at), node];
            }
            state[node] = 1;
            stack.Add(node);
            if (_edges.TryGetValue(node, out var targets))
            {
                foreach (string next in targets.Keys)
                {
                    var cycle = Visit(next);
                    if (cycle is not null) return cycle;
                }
            }
            stack.RemoveAt(stack.Count - 1);
            state[node] = 2;
            return null;
        }
    }

    /// <summary>The nodes in layers: each node's layer is one above the highest layer it depends on.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Layers()
    {
        var layer = new Dictionary<string, int>(StringComparer.Ordinal);
        int Of(string node)
        {
            if (layer.TryGetValue(node, out int l)) return l;
            layer[node] = 0; // guards recursion; callers check FindCycle first
            int best = _edges.TryGetValue(node, out var t) && t.Count > 0 ? t.Keys.Max(Of) + 1 : 0;
            return layer[node] = best;
        }
        foreach (string n in Nodes) Of(n);
        return [.. layer.GroupBy(kv => kv.Value).OrderBy(g => g.Key)
            .Select(g => (IReadOnlyList<string>)[.. g.Select(kv => kv.Key).Order(StringComparer.Ordinal)])];
    }

    private string? Folder(TypeDefinitionHandle handle)
    {
        var type = _md.GetTypeDefinition(handle);
        while (type.IsNested) type = _md.GetTypeDefinition(type.GetDeclaringType());
        string ns = _md.GetString(type.Namespace);
        if (!ns.StartsWith(_root + ".", StringComparison.Ordinal)) return null;
        string[] parts = ns[(_root.Length + 1)..].Split('.');
        return string.Join('.', parts.Take(_depth));
    }

    private string Name(TypeDefinitionHandle handle)
    {
        var type = _md.GetTypeDefinition(handle);
        while (type.IsNested) type = _md.GetTypeDefinition(type.GetDeclaringType());
        return _md.GetString(type.Name);
    }

    private void Build(PEReader pe)
    {
        foreach (var handle in _md.TypeDefinitions)
        {
            string? from = Folder(handle);
            if (from is null) continue;
            _edges.TryAdd(from, new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal));
            var found = new HashSet<TypeDefinitionHandle>();
            var provider = new Collector(found);
            Collect(pe, _md.GetTypeDefinition(handle), provider, found);
            foreach (var target in found)
            {
                string? to = Folder(target);
                if (to is null || to == from) continue;
                var carriers = _edges[from];
                if (!carriers.TryGetValue(to, out var set)) carriers[to] = set = new SortedSet<string>(StringComparer.Ordinal);
                set.Add($"{Name(handle)} -> {Name(target)}");
            }
        }
    }

    private void Collect(PEReader pe, TypeDefinition type, Collector provider, HashSet<TypeDefinitionHandle> found)
    {
        if (!type.BaseType.IsNil) Entity(type.BaseType, provider, found);
        foreach (var i in type.GetInterfaceImplementations()) Entity(_md.GetInterfaceImplementation(i).Interface, provider, found);
        foreach (var g in type.GetGenericParameters()) GenericConstraints(g, provider, found);
        Attributes(type.GetCustomAttributes(), provider, found);
        foreach (var f in type.GetFields())
        {
            var field = _md.GetFieldDefinition(f);
            field.DecodeSignature(provider, null);
            Attributes(field.GetCustomAttributes(), provider, found);
        }
        foreach (var p in type.GetProperties())
        {
            var property = _md.GetPropertyDefinition(p);
            property.DecodeSignature(provider, null);
            Attributes(property.GetCustomAttributes(), provider, found);
        }
        foreach (var e in type.GetEvents()) Entity(_md.GetEventDefinition(e).Type, provider, found);
        foreach (var m in type.GetMethods())
        {
            var method = _md.GetMethodDefinition(m);
            method.DecodeSignature(provider, null);
            Attributes(method.GetCustomAttributes(), provider, found);
            foreach (var g in method.GetGenericParameters()) GenericConstraints(g, provider, found);
            foreach (var p in method.GetParameters()) Attributes(_md.GetParameter(p).GetCustomAttributes(), provider, found);
            if (method.RelativeVirtualAddress == 0) continue;
            var body = pe.GetMethodBody(method.RelativeVirtualAddress);
            if (!body.LocalSignature.IsNil) _md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(provider, null);
            foreach (var region in body.ExceptionRegions)
            {
                if (!region.CatchType.IsNil) Entity(region.CatchType, provider, found);
            }
            Il(body.GetILReader(), provider, found);
        }
        foreach (var nested in type.GetNestedTypes()) Collect(pe, _md.GetTypeDefinition(nested), provider, found);
    }

    private void GenericConstraints(GenericParameterHandle g, Collector provider, HashSet<TypeDefinitionHandle> found)
    {
        foreach (var c in _md.GetGenericParameter(g).GetConstraints()) Entity(_md.GetGenericParameterConstraint(c).Type, provider, found);
    }

    private void Attributes(CustomAttributeHandleCollection attributes, Collector provider, HashSet<TypeDefinitionHandle> found)
    {
        foreach (var a in attributes) Entity(_md.GetCustomAttribute(a).Constructor, provider, found);
    }

    /// <summary>Walks the IL, decoding every token operand that names a type, method, field or signature.</summary>
    private void Il(BlobReader il, Collector provider, HashSet<TypeDefinitionHandle> found)
    {
        while (il.RemainingBytes > 0)
        {
            short value = il.ReadByte();
            if (value == 0xFE) value = unchecked((short)(0xFE00 | il.ReadByte()));
            var op = OpCodesByValue[value];
            switch (op.OperandType)
            {
                case OperandType.InlineField:
                case OperandType.InlineMethod:
                case OperandType.InlineTok:
                case OperandType.InlineType:
                case OperandType.InlineSig:
                    Entity(MetadataTokens.EntityHandle(il.ReadInt32()), provider, found);
                    break;
                case OperandType.InlineNone: break;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar: il.Offset += 1; break;
                case OperandType.InlineVar: il.Offset += 2; break;
                case OperandType.InlineI8:
                case OperandType.InlineR: il.Offset += 8; break;
                case OperandType.InlineSwitch:
                {
                    int targets = il.ReadInt32(); // read before Offset, which += would read first
                    il.Offset += 4 * targets;
                    break;
                }
                default: il.Offset += 4; break; // InlineBrTarget, InlineI, InlineString, ShortInlineR
            }
        }
    }

    private void Entity(EntityHandle handle, Collector provider, HashSet<TypeDefinitionHandle> found)
    {
        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition:
                found.Add((TypeDefinitionHandle)handle);
                break;
            case HandleKind.TypeSpecification:
                _md.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(provider, null);
                break;
            case HandleKind.MethodDefinition:
            {
                var method = _md.GetMethodDefinition((MethodDefinitionHandle)handle);
                found.Add(method.GetDeclaringType());
                method.DecodeSignature(provider, null);
                break;
            }
            case HandleKind.FieldDefinition:
            {
                var field = _md.GetFieldDefinition((FieldDefinitionHandle)handle);
                found.Add(field.GetDeclaringType());
                field.DecodeSignature(provider, null);
                break;
            }
            case HandleKind.MemberReference:
            {
                var member = _md.GetMemberReference((MemberReferenceHandle)handle);
                Entity(member.Parent, provider, found);
                if (member.GetKind() == MemberReferenceKind.Method) member.DecodeMethodSignature(provider, null);
                else member.DecodeFieldSignature(provider, null);
                break;
            }
            case HandleKind.MethodSpecification:
            {
                var spec = _md.GetMethodSpecification((MethodSpecificationHandle)handle);
                Entity(spec.Method, provider, found);
                spec.DecodeSignature(provider, null);
                break;
            }
            case HandleKind.StandaloneSignature:
            {
                var sig = _md.GetStandaloneSignature((StandaloneSignatureHandle)handle);
                if (sig.GetKind() == StandaloneSignatureKind.Method) sig.DecodeMethodSignature(provider, null);
                else sig.DecodeLocalSignature(provider, null);
                break;
            }
            default: break; // TypeReference and the rest name other assemblies
        }
    }

    /// <summary>A signature decoder whose only product is the set of this assembly's types it meets.</summary>
    private sealed class Collector(HashSet<TypeDefinitionHandle> found) : ISignatureTypeProvider<int, object?>
    {
        public int GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
        {
            found.Add(handle);
            return 0;
        }

        public int GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        public int GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => 0;
        public int GetArrayType(int elementType, ArrayShape shape) => 0;
        public int GetByReferenceType(int elementType) => 0;
        public int GetFunctionPointerType(MethodSignature<int> signature) => 0;
        public int GetGenericInstantiation(int genericType, ImmutableArray<int> typeArguments) => 0;
        public int GetGenericMethodParameter(object? genericContext, int index) => 0;
        public int GetGenericTypeParameter(object? genericContext, int index) => 0;
        public int GetModifiedType(int modifier, int unmodifiedType, bool isRequired) => 0;
        public int GetPinnedType(int elementType) => 0;
        public int GetPointerType(int elementType) => 0;
        public int GetPrimitiveType(PrimitiveTypeCode typeCode) => 0;
        public int GetSZArrayType(int elementType) => 0;
    }
}
