using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace AutoLoss.ML.Catalog;

/// <summary>
/// The only place that reaches into ML.NET internals (PLATFORM.md: the maintainers keep these
/// internal on purpose). Two things are needed: the catalog's host environment (for the MLContext's
/// seed and <c>mlContext.Log</c>) and <see cref="SchemaShape"/> construction for
/// <c>GetOutputSchema</c>. A unit test fails loudly if an ML.NET upgrade moves either.
/// </summary>
internal static class MlNetInternals
{
    private static readonly MethodInfo? SchemaShapeCreate =
        typeof(SchemaShape).GetMethod("Create", BindingFlags.Static | BindingFlags.NonPublic, [typeof(DataViewSchema)]);

    /// <summary>The host environment behind a catalog object (a <c>...Trainers</c> or
    /// <c>ModelOperationsCatalog</c> instance), or null when ML.NET no longer exposes it this way.</summary>
    public static IHostEnvironment? TryGetEnvironment(object catalog)
    {
        try
        {
            foreach (var iface in catalog.GetType().GetInterfaces())
            {
                var property = iface.GetProperty("Environment", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
                if (property?.GetValue(catalog) is IHostEnvironment env)
                    return env;
            }
        }
        catch (Exception e) when (e is TargetInvocationException or MemberAccessException or InvalidCastException)
        {
        }
        return null;
    }

    /// <summary>True when <see cref="SchemaShapeFrom"/> can work with this ML.NET version.</summary>
    public static bool CanCreateSchemaShape => SchemaShapeCreate is not null;

    /// <summary>The <see cref="SchemaShape"/> of a concrete schema (column names, types, key-ness and annotation shapes).</summary>
    public static SchemaShape SchemaShapeFrom(DataViewSchema schema)
    {
        if (SchemaShapeCreate is null)
            throw new InvalidOperationException("This ML.NET version no longer has the internal SchemaShape.Create(DataViewSchema) that AutoLoss.ML uses for GetOutputSchema; use a Microsoft.ML version AutoLoss.ML was built against (5.0.x).");
        return (SchemaShape)SchemaShapeCreate.Invoke(null, [schema])!;
    }
}
