#!/usr/bin/env bash
# Consumer proof for the AutoLoss.ML NuGet packages.
#
# 1. Packs AutoLoss.Core, AutoLoss.ML and AutoLoss.ML.Datasets (Release) from a copy of the sources, with a
#    unique prerelease version, into a temporary package folder (so no stale package in ~/.nuget/packages
#    can be picked up, and concurrent builds in the repository are not disturbed).
# 2. Creates a console app OUTSIDE the repository the way the package README tells a user to:
#    dotnet new console; a nuget.config with the local folder as an extra source next to nuget.org;
#    dotnet add package AutoLoss.ML / AutoLoss.ML.Datasets / TorchSharp-cpu.
# 3. Builds it and checks that the buildTransitive native-load fix ran (on a machine whose libstdc++ lacks
#    GLIBCXX_3.4.32, e.g. Debian 12), then trains AdaptiveLoss for 2 epochs on the digits and requires
#    test accuracy >= 0.85.
#
# Prints one final line: "PASS: ..." (exit 0) or "FAIL: ..." (exit 1).
# KEEP=1 keeps the temporary folder (its path is printed); otherwise it and the cache entries of the
# temporary version are removed.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
START=$(date +%s)
MIN_ACCURACY=0.85
VERSION="0.1.0-consumer.$(date +%Y%m%d%H%M%S).$$"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/autoloss-consumer.XXXXXX")"
NUGET_CACHE="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
STEP="setup"
RESULT=""

cleanup() {
    local rc=$?
    local elapsed=$(( $(date +%s) - START ))
    if [[ "${KEEP:-0}" != "1" ]]; then
        rm -rf "$WORK"
    else
        echo "kept: $WORK"
    fi
    # Drop the one-off version from the global packages folder (never other versions).
    for id in autoloss.core autoloss.ml autoloss.ml.datasets; do
        rm -rf "${NUGET_CACHE:?}/$id/$VERSION"
        rmdir "$NUGET_CACHE/$id" 2>/dev/null || true     # only if no other version is left
    done
    if [[ $rc -eq 0 ]]; then
        echo "PASS: NuGet consumer test ($RESULT) in ${elapsed}s"
    else
        echo "FAIL: NuGet consumer test, step '$STEP' (exit $rc) after ${elapsed}s"
    fi
    exit $rc
}
trap cleanup EXIT

fail() { echo "error: $*" >&2; exit 1; }

echo "== AutoLoss.ML consumer test: version $VERSION, work folder $WORK"

# ---------------------------------------------------------------- 1. pack
STEP="copy sources"
mkdir -p "$WORK/repo" "$WORK/packages"
# Sources only (no bin/obj): packing the copy leaves the repository's build outputs alone. The git
# metadata comes along so SourceLink sees the same repository as a pack in place.
items=(Directory.Build.props Directory.Build.targets Directory.Packages.props nuget src)
[[ -f "$REPO/global.json" ]] && items+=(global.json)
[[ -d "$REPO/.git" ]] && items+=(.git)
tar -C "$REPO" --exclude=bin --exclude=obj -cf - "${items[@]}" | tar -C "$WORK/repo" -xf -

for project in AutoLoss.Core AutoLoss.ML AutoLoss.ML.Datasets; do
    STEP="pack $project"
    echo "== dotnet pack $project"
    dotnet pack "$WORK/repo/src/$project/$project.csproj" -c Release -nologo -tl:off -v:q \
        -p:Version="$VERSION" -o "$WORK/packages" > "$WORK/pack-$project.log" 2>&1 \
        || { cat "$WORK/pack-$project.log"; fail "dotnet pack $project failed"; }
    [[ -f "$WORK/packages/$project.$VERSION.nupkg" ]] || fail "$project.$VERSION.nupkg not produced"
done

STEP="inspect packages"
core_nuspec="$(unzip -p "$WORK/packages/AutoLoss.Core.$VERSION.nupkg" AutoLoss.Core.nuspec)"
grep -q 'id="TorchSharp" version="\[0.107.0\]"' <<< "$core_nuspec" || fail "AutoLoss.Core does not pin TorchSharp [0.107.0]"
# (listings go through variables: "unzip | grep -q" can fail under pipefail when grep exits early)
core_files="$(unzip -l "$WORK/packages/AutoLoss.Core.$VERSION.nupkg")"
grep -q 'buildTransitive/AutoLoss.Core.targets' <<< "$core_files" || fail "AutoLoss.Core lacks buildTransitive/AutoLoss.Core.targets"
for project in AutoLoss.Core AutoLoss.ML AutoLoss.ML.Datasets; do
    files="$(unzip -l "$WORK/packages/$project.$VERSION.nupkg")"
    grep -qE ' README\.md$' <<< "$files" || fail "$project lacks README.md"
done
echo "   packages: $(cd "$WORK/packages" && ls | tr '\n' ' ')"

# ---------------------------------------------------------------- 2. consumer project
STEP="create consumer"
mkdir -p "$WORK/consumer"
cd "$WORK/consumer"
dotnet new console -n DigitsConsumer -o . > /dev/null
dotnet new nugetconfig > /dev/null                      # <clear/> + nuget.org
dotnet nuget add source "$WORK/packages" -n autoloss-local --configfile nuget.config > /dev/null

STEP="add packages"
echo "== dotnet add package AutoLoss.ML, AutoLoss.ML.Datasets, TorchSharp-cpu"
dotnet add package AutoLoss.ML --version "$VERSION" > "$WORK/add.log" 2>&1 || { cat "$WORK/add.log"; fail "add AutoLoss.ML"; }
dotnet add package AutoLoss.ML.Datasets --version "$VERSION" >> "$WORK/add.log" 2>&1 || { cat "$WORK/add.log"; fail "add AutoLoss.ML.Datasets"; }
dotnet add package TorchSharp-cpu --version 0.107.0 >> "$WORK/add.log" 2>&1 || { cat "$WORK/add.log"; fail "add TorchSharp-cpu"; }

cat > Program.cs <<'CS'
using AutoLoss;
using Microsoft.ML;

var ml = new MLContext(seed: 1);
var (train, test) = Digits.LoadSplit(ml);
var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
    .Append(ml.MulticlassClassification.Trainers.AdaptiveLoss(numberOfEpochs: 2));
using var model = pipeline.Fit(train);
var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
Console.WriteLine($"ACCURACY {metrics.MicroAccuracy.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)}");
CS

# ---------------------------------------------------------------- 3. build, check the native fix, run
STEP="build consumer"
echo "== dotnet build (Release)"
dotnet build -c Release -nologo -tl:off > "$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; fail "consumer build failed"; }

STEP="check native fix"
libstdcxx=""
for c in /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib64/libstdc++.so.6 /lib64/libstdc++.so.6; do
    [[ -f "$c" ]] && { libstdcxx="$c"; break; }
done
if [[ "$(uname -s)" == "Linux" && -n "$libstdcxx" ]] && ! grep -q 'GLIBCXX_3\.4\.32' "$libstdcxx"; then
    if grep -q 'AutoLoss.ML: patched libLibTorchSharp.so' "$WORK/build.log"; then
        echo "   native fix: $(grep -o 'AutoLoss.ML: patched libLibTorchSharp.so[^;]*' "$WORK/build.log" | head -n 1)"
    else
        cat "$WORK/build.log"
        fail "$libstdcxx lacks GLIBCXX_3.4.32 but the build did not report 'AutoLoss.ML: patched libLibTorchSharp.so' (buildTransitive targets not applied?)"
    fi
else
    echo "   native fix: not needed on this machine (libstdc++ has GLIBCXX_3.4.32 or not Linux)"
fi

STEP="run consumer"
echo "== dotnet run (2 epochs)"
dotnet run -c Release --no-build > "$WORK/run.log" 2>&1 || { cat "$WORK/run.log"; fail "consumer run failed"; }
cat "$WORK/run.log"
accuracy="$(sed -n 's/^ACCURACY \([0-9.]*\)$/\1/p' "$WORK/run.log" | tail -n 1)"
[[ -n "$accuracy" ]] || fail "no ACCURACY line in the consumer output"

STEP="check accuracy"
awk -v a="$accuracy" -v m="$MIN_ACCURACY" 'BEGIN { exit !(a + 0 >= m + 0) }' \
    || fail "accuracy $accuracy below $MIN_ACCURACY"
RESULT="accuracy $accuracy >= $MIN_ACCURACY"
