import Keel

/// The module's data: root cells, the roots table, the backtrace table, the
/// keel_nocollect declaration, and the start-up code that builds constants.
extension CodeGenerator {
    /// Global and constant cells (roots), the table that registers them, and
    /// the declaration of the runtime functions that never collect.
    mutating func emitData(globals: Set<String>) {
        // A program's tables are found by name; a REPL input's by the loader, in its own object.
        let exported = Linkage(export: replEntry == nil)
        for cell in rootCells {
            let variable = cell.hasPrefix("kl_var")
            module.addData(DataDefinition(name: module.symbols.intern(cell),
                                          linkage: Linkage(export: variable && replEntry != nil), alignment: 8,
                                          items: [.values(.l, [.integer(variable ? Value.unbound : Value.nilValue)])]))
        }
        let roots = rootCells.map { DataValue.symbol(module.symbols.intern($0), offset: 0) }
        module.addData(DataDefinition(name: module.symbols.intern("kl_roots"), linkage: exported,
                                      alignment: 8, items: [.values(.l, roots.isEmpty ? [.integer(0)] : roots)]))
        module.addData(DataDefinition(name: module.symbols.intern("kl_root_count"), linkage: exported,
                                      alignment: 8, items: [.values(.l, [.integer(Int64(rootCells.count))])]))
        // Backtraces: { count, then per function: start, name or 0, file, line }
        // in text order; kl_text_end ends the last range.
        var table: [DataValue] = [.integer(Int64(emitted.count - 1))]
        for (symbolName, lispName, fileName, line) in emitted.dropLast() {
            table.append(.symbol(module.symbols.intern(symbolName), offset: 0))
            table.append(lispName.map { .symbol(module.symbols.intern(cString($0)), offset: 0) } ?? .integer(0))
            table.append(.symbol(module.symbols.intern(cString(fileName)), offset: 0))
            table.append(.integer(Int64(line)))
        }
        module.addData(DataDefinition(name: module.symbols.intern("kl_function_table"), linkage: exported,
                                      alignment: 8, items: [.values(.l, table)]))
        let names = RuntimeFunctions.neverCollect.map { DataValue.symbol(module.symbols.intern($0), offset: 0) }
        module.addData(DataDefinition(name: module.symbols.intern("kl_nocollect"),
                                      linkage: Linkage(section: "keel_nocollect"), items: [.values(.l, names)]))
        // The runtime's layouts compiled code allocates, declared so that the
        // allocations take the inline path; keel_init checks each against
        // objects.c. Not in a REPL input: the loader (repl/loader.c) does not
        // read keel_layouts, so its allocations stay calls of keel_alloc.
        if replEntry == nil {
            let triples = Self.inlineLayouts.flatMap { name, kind, words -> [DataValue] in
                [.symbol(module.symbols.intern(name), offset: 0), .integer(kind), .integer(words)]
            }
            module.addData(DataDefinition(name: module.symbols.intern("kl_layouts"), linkage: Linkage(section: "keel_layouts"),
                                          alignment: 8, items: [.values(.l, triples)]))
        }
    }

    /// Layouts of objects.c that compiled code passes to keel_alloc: name,
    /// kind (1 RECORD, 2 REFS, 3 BYTES), RECORD words (else 0).
    static var inlineLayouts: [(String, Int64, Int64)] {
        [("kl_vector_layout", 2, 0), ("kl_double_layout", 3, 0), ("kl_fn_layout", 2, 0)]
    }

    /// Builds a constant object at start-up (in kl_program_main's constants block).
    mutating func buildConstant(_ form: Form) -> Ref {
        if let immediate = Self.immediate(form) { return b.integer(immediate) }
        func bytes(_ s: String) -> [CallArgument] {
            [CallArgument(type: .base(.l), value: symbol(cString(s))),
             CallArgument(type: .base(.l), value: b.integer(Int64(s.utf8.count)))]
        }
        switch form.kind {
        case .integer(let n):
            return b.call(symbol("kl_make_long"), returnType: .base(.r),
                          arguments: [CallArgument(type: .base(.l), value: b.integer(n))])
        case .double(let d):
            return b.call(symbol("kl_make_double"), returnType: .base(.r),
                          arguments: [CallArgument(type: .base(.d), value: b.constant(.double(d)))])
        case .string(let s):
            return b.call(symbol("kl_make_string"), returnType: .base(.r), arguments: bytes(s))
        case .keyword(let k):
            return b.call(symbol("kl_make_keyword"), returnType: .base(.r), arguments: bytes(k))
        case .symbol(let s):
            return b.call(symbol("kl_make_symbol"), returnType: .base(.r), arguments: bytes(s))
        case .list(let items):
            return callR("kl_list_from", [allocVector(items.map { buildConstant($0) })])
        case .vector(let items):
            return allocVector(items.map { buildConstant($0) })
        case .map(let items):
            return callR("kl_map_from", [allocVector(items.map { buildConstant($0) })])
        case .set(let items):
            return callR("kl_set_from", [allocVector(items.map { buildConstant($0) })])
        default:
            return b.integer(Value.nilValue)
        }
    }

    // MARK: expressions
}
