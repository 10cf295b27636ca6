import KeelTestSupport
import Testing
import KeelAnalysis

// BitMatrix and the row operations shared with BitSet, checked against a
// model of plain integer sets on random operation sequences (widths around
// word boundaries).

@Suite struct BitMatrixTests {
    @Test func singleBitsAndRows() {
        var m = BitMatrix(rows: 3, columns: 130)
        #expect(m.wordsPerRow == 3)
        let fresh = [m.insert(0, inRow: 1), m.insert(64, inRow: 1), m.insert(129, inRow: 1), m.insert(64, inRow: 1)]
        #expect(fresh == [true, true, true, false])
        #expect(m.contains(129, inRow: 1) && !m.contains(129, inRow: 0) && !m.contains(129, inRow: 2))
        #expect(Array(m.row(1)) == [0, 64, 129])
        #expect(Array(m.row(0)).isEmpty && m.rowIsEmpty(0) && !m.rowIsEmpty(1))
        m.remove(64, inRow: 1)
        m.remove(5, inRow: 1)
        #expect(Array(m.rowSet(1)) == [0, 129])
        var seen: [Int] = []
        m.forEach(inRow: 1) { seen.append($0) }
        #expect(seen == [0, 129])
        m.clearRow(1)
        #expect(m.rowIsEmpty(1))
        #expect(Array(BitMatrix(rows: 2, columns: 0).row(1)).isEmpty)
    }

    @Test func dataflowTransfer() {
        // in = gen ∪ (out − kill), reported as changed only when it changes.
        var gen = BitMatrix(rows: 2, columns: 70), kill = gen, live = gen
        gen.insert(1, inRow: 0)
        kill.insert(2, inRow: 0)
        kill.insert(69, inRow: 0)
        var out = BitSet(capacity: 70)
        for x in [2, 3, 69] { out.insert(x) }
        let first = live.setRow(0, gen: gen, plus: out, minus: kill)
        #expect(first)
        #expect(Array(live.row(0)) == [1, 3])
        let again = live.setRow(0, gen: gen, plus: out, minus: kill)
        #expect(!again)
        var outs = BitMatrix(rows: 2, columns: 70)
        outs.setRow(0, to: out)
        #expect(outs.row(0, equals: out) && !outs.row(1, equals: out))
        let viaRow = live.setRow(0, gen: gen, plus: outs, minus: kill)
        let emptyRow = live.setRow(1, gen: gen, plus: outs, minus: kill)  // row 1 of everything is empty
        #expect(!viaRow && !emptyRow)
    }

    @Test func matchesSetModel() {
        var rng = SplitMix64(seed: 0xB175)
        for width in [1, 63, 64, 65, 130, 200] {
            let rows = 4
            var m = BitMatrix(rows: rows, columns: width)
            var other = BitMatrix(rows: rows, columns: width)
            var set = BitSet(capacity: width)
            var model = [Set<Int>](repeating: [], count: rows)
            var otherModel = [Set<Int>](repeating: [], count: rows)
            var setModel = Set<Int>()
            func check() {
                for r in 0..<rows {
                    #expect(Array(m.row(r)) == model[r].sorted(), "width \(width) row \(r)")
                    #expect(Array(other.row(r)) == otherModel[r].sorted())
                }
                #expect(Array(set) == setModel.sorted())
            }
            for _ in 0..<400 {
                let r = Int.random(in: 0..<rows, using: &rng), q = Int.random(in: 0..<rows, using: &rng)
                let c = Int.random(in: 0..<width, using: &rng)
                switch Int.random(in: 0..<12, using: &rng) {
                case 0:
                    let fresh = m.insert(c, inRow: r)
                    #expect(fresh == model[r].insert(c).inserted)
                case 1: m.remove(c, inRow: r); model[r].remove(c)
                case 2: other.insert(c, inRow: r); otherModel[r].insert(c)
                case 3: set.insert(c); setModel.insert(c)
                case 4: set.remove(c); setModel.remove(c)
                case 5:
                    let grew = m.formUnion(row: r, with: set)
                    #expect(grew == !setModel.isSubset(of: model[r]))
                    model[r].formUnion(setModel)
                case 6:
                    let grew = m.formUnion(row: r, with: other, row: q)
                    #expect(grew == !otherModel[q].isSubset(of: model[r]))
                    model[r].formUnion(otherModel[q])
                case 7:
                    let grew = m.formUnion(row: r, withRow: q)
                    #expect(grew == !model[q].isSubset(of: model[r]))
                    model[r].formUnion(model[q])
                case 8:
                    let grew = set.formUnion(row: r, of: m)
                    #expect(grew == !model[r].isSubset(of: setModel))
                    setModel.formUnion(model[r])
                case 9: set.formIntersection(row: r, of: other); setModel.formIntersection(otherModel[r])
                case 10: set.setToRow(r, of: m); setModel = model[r]
                default:
                    #expect(m.row(r, equals: set) == (model[r] == setModel))
                    m.setRow(r, to: set)
                    model[r] = setModel
                }
                check()
            }
            var copy = BitSet(capacity: width)
            copy.setTo(set)
            #expect(copy == set)
        }
    }
}
