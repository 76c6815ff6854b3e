"""The files of src/ are layers: each uses only those below it, never one
that uses it back (docs/architecture.md draws them).  Read from the built
objects (nm): a file uses another when it needs a symbol the other defines.
Any circle of files, of any length, is named."""
import collections
import glob
import os
import subprocess
import sys

build = os.environ.get("KEPU_BUILDDIR", ".")
n = 0


def tap(good, name):
    global n
    n += 1
    print("%s %d - %s" % ("ok" if good else "not ok", n, name))


def symbols(obj):
    out = subprocess.run(["nm", obj], capture_output=True, text=True).stdout
    defined, used = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "TDBR":
            defined.add(parts[2])
        elif len(parts) == 2 and parts[0] == "U":
            used.add(parts[1])
    return defined, used


def circles(graph):
    """Strongly connected parts of more than one file (Tarjan)."""
    index, low, stack, on, found = {}, {}, [], set(), []
    count = [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = count[0]
        count[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = []
            while True:
                w = stack.pop()
                on.discard(w)
                part.append(w)
                if w == v:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def main():
    objs = []
    for sub in ("src/core", "src/cli", "src/tui", "src"):
        objs += glob.glob(os.path.join(build, sub, "*.o"))
    tap(len(objs) > 50, "the objects of src/ are built (%d)" % len(objs))
    owner, uses = {}, {}
    for o in objs:
        # automake names them target-file.o
        name = os.path.relpath(o, build).rsplit("-", 1)[-1][:-2]
        name = os.path.join(os.path.dirname(os.path.relpath(o, build)), name)
        defined, used = symbols(o)
        for s in defined:
            owner[s] = name
        uses[name] = used
    graph = collections.defaultdict(set)
    for name, used in uses.items():
        graph[name]
        for s in used:
            if s in owner and owner[s] != name:
                graph[name].add(owner[s])
    edges = sum(len(v) for v in graph.values())
    tap(edges > 100, "files use each other (%d uses)" % edges)
    found = circles(graph)
    tap(not found, "no files use each other in a circle%s"
        % "".join("\n# circle: " + " ".join(p) for p in found))
    print("1..%d" % n)


main()
