/// Where a KeelLisp program runs: Keel's backend target, and the C compiler
/// that builds the runtimes for it and links the program.
struct LispTarget: Equatable {
    /// Keel's name of the target (`keel il -t`).
    let name: String
    let cc: String
    /// Linking flags: a cross-built program is static, so that qemu-user
    /// runs it without the target's shared libraries.
    let linkFlags: [String]
    /// Whether the REPL's host (its own ELF loader, x86-64 relocations) is built.
    let hostsRepl: Bool

    static let native = LispTarget(name: "amd64_sysv", cc: "cc", linkFlags: [], hostsRepl: true)
    static let arm64 = LispTarget(name: "arm64", cc: "aarch64-linux-gnu-gcc", linkFlags: ["-static"], hostsRepl: false)

    /// The target `-t NAME` names.
    static func named(_ name: String?) throws(ReportedFailure) -> LispTarget {
        switch name {
        case nil, "amd64_sysv": return .native
        case "arm64": return .arm64
        default: throw ReportedFailure(message: "unknown target \(name!) (KeelLisp targets: amd64_sysv, arm64)")
        }
    }
}
