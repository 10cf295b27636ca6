// Keel's runtime (the C sources of Sources/KeelRuntime) compiled once per
// campaign, so that programs calling it (`keel fuzz --gc`) can be linked.
import KeelSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

enum RuntimeBuild {
    /// Compiles every `.c` file of `directory` (with its `include`) into
    /// `workDirectory`; the object paths, or what went wrong.
    static func objects(runtimeDirectory directory: String, workDirectory: String, compiler: String)
        -> Result<[String], RuntimeBuildError>
    {
        var sources: [String] = []
        guard let dir = opendir(directory) else {
            return .failure(RuntimeBuildError(message: "\(directory): cannot read the runtime's sources"))
        }
        while let entry = readdir(dir) {
            let name = entryName(entry)
            if name.hasSuffix(".c") { sources.append(name) }
        }
        closedir(dir)
        sources.sort()
        guard !sources.isEmpty else { return .failure(RuntimeBuildError(message: "\(directory): no C sources")) }
        var objects: [String] = []
        for source in sources {
            let object = workDirectory + "/runtime-" + source + ".o"
            do {
                let cc = try ChildProcess.run([compiler, "-std=c11", "-O1", "-I", directory + "/include", "-c",
                                               directory + "/" + source, "-o", object],
                                              scratch: workDirectory + "/runtime-cc", timeoutMilliseconds: 120_000)
                guard cc.status == 0 else {
                    return .failure(RuntimeBuildError(message: "\(source): " + String(decoding: cc.stderr, as: UTF8.self)))
                }
            } catch {
                return .failure(RuntimeBuildError(message: "\(source): \(error.description)"))
            }
            objects.append(object)
        }
        return .success(objects)
    }
}

struct RuntimeBuildError: Error {
    var message: String
}
