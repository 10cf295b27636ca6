import KeelIR

/// The declarations of external layouts (section `keel_layouts`,
/// docs/il-extensions.md "Declared layouts"): each definition a list of
/// well-formed triples, one header per layout, and the header of a layout
/// the module also defines the one its data has. The backend inlines an
/// allocation of a declared layout from the declaration alone, so a lie here
/// would corrupt the heap; the runtime checks external layouts at start-up.
extension ModuleContext {
    func layoutDeclarationErrors(_ module: Module) -> [VerificationError] {
        var errors: [VerificationError] = []
        var first: [Int: ManagedRuntime.LayoutDeclaration] = [:]
        for (d, data) in module.data.enumerated() where data.linkage.section == ManagedRuntime.layoutsSection {
            switch ManagedRuntime.layoutDeclarations(of: data, index: d) {
            case .failure(let problem):
                errors.append(.malformedLayoutDeclaration(data: d, problem))
            case .success(let declarations):
                for x in declarations where x.layout.int < dataOfSymbol.count {
                    if let earlier = first[x.layout.int] {
                        if earlier.header != x.header {
                            errors.append(.conflictingLayoutDeclarations(data: d, layout: x.layout, x.header,
                                                                         firstData: earlier.data, first: earlier.header))
                        }
                        continue
                    }
                    first[x.layout.int] = x
                    let defining = dataOfSymbol[x.layout.int]
                    guard defining >= 0, !isAmbiguous[x.layout.int] else { continue }
                    let defined = ManagedRuntime.layoutHeader(of: module.data[Int(defining)])
                    if defined != x.header {
                        errors.append(.layoutDeclarationDisagrees(data: d, layout: x.layout, declared: x.header,
                                                                  defined: defined))
                    }
                }
            }
        }
        return errors
    }
}
