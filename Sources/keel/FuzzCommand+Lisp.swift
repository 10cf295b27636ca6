import ArgumentParser
import KeelLisp
import KeelLispFuzz
import KeelSystem

/// `keel fuzz --lisp` and `--lisp-mutate` (docs/fuzz.md, "KeelLisp").
extension FuzzCommand {
    func runLisp() throws {
        if lispMutate {
            var sources: [String] = []
            for path in try corpusPaths(default: "Tests/Programs/lisp") {
                let files = path.hasSuffix(".clj") ? [path]
                    : LispToolchain.files(in: path, suffixes: [".clj"]).sorted().map { path + "/" + $0 }
                for f in files { sources.append(try LispToolchain.readSource(f)) }
            }
            if let save { makeLispDirectory(save) }
            let summary = LispMutationCampaign.run(seed: seed, count: max(0, count ?? 10_000), corpus: sources,
                                                   saveDirectory: save)
            print(summary.description)
            for f in summary.failures { print(f) }
            if !summary.failures.isEmpty { throw ExitCode(1) }
            return
        }
        let root = try LispToolchain.sourceRoot()
        let objects = try LispToolchain.runtimeObjects(root: root, cache: LispToolchain.cacheDirectory()).objects
        if let programSeed { return print(LispProgramGenerator.generate(seed: programSeed), terminator: "") }
        if let reproduce {
            guard let f = LispCampaign.reproduce(path: reproduce, gcStress: gcStress, runtimeObjects: objects,
                                                 shrink: !noShrink) else {
                return print("\(reproduce): no failure")
            }
            report([f])
            throw ExitCode(1)
        }
        var options = LispCampaign.Options()
        options.seed = seed
        options.count = max(0, count ?? 100)
        options.jobs = max(1, jobs)
        options.saveDirectory = save
        options.shrink = !noShrink
        options.timeoutMilliseconds = timeout
        options.gcStressEvery = max(0, gcStressEvery)
        let summary = LispCampaign.run(options, runtimeObjects: objects)
        print(FileIO.format("programs: %ld  failures: %ld  time: %.1f s  (%.1f programs/s)", summary.programs,
                            summary.failures.count, summary.seconds,
                            summary.seconds > 0 ? Double(summary.programs) / summary.seconds : 0))
        report(summary.failures)
        if !summary.failures.isEmpty { throw ExitCode(1) }
    }

    func report(_ failures: [LispCampaign.Failure]) {
        for f in failures {
            print("\(f.kind.rawValue): program seed \(f.programSeed) (index \(f.index))\(f.gcStress ? " under KEEL_GC_STRESS=1" : "")")
            if let r = f.reproducer { print("  program: \(r)") }
            if let s = f.shrunk { print("  shrunk:  \(s)") }
            print("  reproduce: \(f.command)")
            let detail = f.detail.split(separator: "\n", omittingEmptySubsequences: false).prefix(12).joined(separator: "\n    ")
            if !detail.isEmpty { print("    " + detail) }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

private func makeLispDirectory(_ path: String) { mkdir(path, 0o755) }
