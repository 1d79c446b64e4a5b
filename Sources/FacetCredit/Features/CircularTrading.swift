import FacetCore
import FacetLedger

/// Groups of two or more firms whose wholesale invoices go round among themselves in roughly balanced amounts:
/// each member sells into the group about what it buys from it, so revenue grows and nobody is out of pocket. Two
/// firms invoicing each other back and forth are the smallest such ring.
struct CircularTrading: Hashable, Sendable {
    /// The month whose window (it and the months before it) was analysed.
    let month: Int64
    /// Each cycle's members ascending; cycles ordered by their first member.
    let cycles: [[MemberID]]
    /// Each member's cycle (an index into `cycles`).
    let cycleOf: [MemberID: Int]
    /// Weighted wholesale sales of each member to the other members of its cycle, over the window.
    let flowOut: [MemberID: Double]
    /// The largest of those invoices.
    let records: [MemberID: [Hash256]]
}

extension FeatureIndex {
    /// Builds the wholesale trade graph of the window ending with `month`, keeps the edges that carry a material
    /// share of both ends' wholesale trade, then repeatedly finds strongly connected components (Tarjan) and drops
    /// members whose in-flow and out-flow within their component are out of balance, or whose component is a lone
    /// firm, or two firms whose trade with each other is not most of what each trades (`pairMinimumShare`), until
    /// nothing changes. What is left are the cycles. Cost: the window's edges, not history.
    func circularTrading(month: Int64) -> CircularTrading {
        var flows = [TradeEdge: Double]()
        var tops = [TradeEdge: [TopRecords]]()
        for m in (month - settings.circularWindowMonths + 1)...month {
            guard let edges = trade[m] else { continue }
            for edge in edges.keys.sorted() {
                guard let flow = edges[edge] else { continue }
                flows[edge, default: 0] += flow.weighted
                tops[edge, default: []].append(flow.invoices)
            }
        }
        let edges = flows.keys.sorted()
        var outTotal = [MemberID: Double]()
        var inTotal = [MemberID: Double]()
        for edge in edges {
            let weight = flows[edge] ?? 0
            outTotal[edge.seller, default: 0] += weight
            inTotal[edge.buyer, default: 0] += weight
        }
        let share = settings.circularMinimumEdgeShare
        let material = edges.filter { edge in
            let weight = flows[edge] ?? 0
            return weight > 0 && weight >= share * (outTotal[edge.seller] ?? 0)
                && weight >= share * (inTotal[edge.buyer] ?? 0)
        }
        let pairs = Set(
            material.filter { edge in
                let weight = flows[edge] ?? 0
                let invoices = (tops[edge] ?? []).reduce(0) { $0 + $1.entries.count }
                return weight >= Self.pairMinimumShare * (outTotal[edge.seller] ?? 0)
                    && weight >= Self.pairMinimumShare * (inTotal[edge.buyer] ?? 0)
                    && invoices >= Self.pairMinimumInvoices
            })
        let cycles = balancedCycles(material, flows, pairEdges: pairs)
        var cycleOf = [MemberID: Int]()
        for (index, cycle) in cycles.enumerated() { for member in cycle { cycleOf[member] = index } }
        var flowOut = [MemberID: Double]()
        var records = [MemberID: [Hash256]]()
        for (index, cycle) in cycles.enumerated() {
            for member in cycle {
                let inside = edges.filter { $0.seller == member && cycleOf[$0.buyer] == index }
                flowOut[member] = inside.reduce(0) { $0 + (flows[$1] ?? 0) }
                records[member] = TopRecords.merged(inside.flatMap { tops[$0] ?? [] }, limit: settings.evidenceLimit)
            }
        }
        return CircularTrading(month: month, cycles: cycles, cycleOf: cycleOf, flowOut: flowOut, records: records)
    }

    /// The share of each firm's wholesale sales and purchases that two firms' trade with each other must carry, both
    /// ways, to be a ring of two: back-and-forth invoicing that is most of what each trades, not a supplier that also
    /// buys from its customer.
    static let pairMinimumShare = 0.5
    /// Invoices each way within the window for two firms to count as invoicing each other back and forth.
    static let pairMinimumInvoices = 3

    private func balancedCycles(_ edges: [TradeEdge], _ flows: [TradeEdge: Double], pairEdges: Set<TradeEdge>)
        -> [[MemberID]]
    {
        var alive = Set(edges.flatMap { [$0.seller, $0.buyer] })
        while true {
            let nodes = alive.sorted()
            let position = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($1, $0) })
            var successors = Array(repeating: [Int](), count: nodes.count)
            for edge in edges {
                guard let from = position[edge.seller], let to = position[edge.buyer] else { continue }
                successors[from].append(to)
            }
            let components = Tarjan.components(successors).map { $0.map { nodes[$0] } }
            var dropped = Set<MemberID>()
            for component in components {
                let members = Set(component)
                let pairEdgesInside = edges.filter {
                    pairEdges.contains($0) && members.contains($0.seller) && members.contains($0.buyer)
                }
                guard component.count >= 3 || (component.count == 2 && pairEdgesInside.count == 2) else {
                    dropped.formUnion(component)
                    continue
                }
                dropped.formUnion(unbalanced(component, edges, flows))
            }
            if dropped.isEmpty { return components }
            alive.subtract(dropped)
        }
    }

    /// Members whose in-flow from the component and out-flow to it differ by more than the tolerance.
    private func unbalanced(_ component: [MemberID], _ edges: [TradeEdge], _ flows: [TradeEdge: Double])
        -> [MemberID]
    {
        let members = Set(component)
        var inFlow = [MemberID: Double]()
        var outFlow = [MemberID: Double]()
        for edge in edges where members.contains(edge.seller) && members.contains(edge.buyer) {
            let weight = flows[edge] ?? 0
            outFlow[edge.seller, default: 0] += weight
            inFlow[edge.buyer, default: 0] += weight
        }
        return component.filter { member in
            let a = inFlow[member] ?? 0
            let b = outFlow[member] ?? 0
            return abs(a - b) > settings.circularBalanceTolerance * max(a, b)
        }
    }
}

/// Tarjan's strongly connected components, iterative (no recursion depth to bound), over nodes `0..<n` given their
/// successor lists. Components come out with members ascending, ordered by their smallest member.
enum Tarjan {
    static func components(_ successors: [[Int]]) -> [[Int]] {
        let count = successors.count
        var index = Array(repeating: -1, count: count)
        var low = Array(repeating: 0, count: count)
        var onStack = Array(repeating: false, count: count)
        var stack = [Int]()
        var counter = 0
        var result = [[Int]]()
        for root in 0..<count where index[root] == -1 {
            var work: [(node: Int, next: Int)] = []
            func visit(_ node: Int) {
                index[node] = counter
                low[node] = counter
                counter += 1
                stack.append(node)
                onStack[node] = true
                work.append((node, 0))
            }
            visit(root)
            while let (node, next) = work.last {
                if next < successors[node].count {
                    work[work.count - 1].next += 1
                    let successor = successors[node][next]
                    if index[successor] == -1 {
                        visit(successor)
                    } else if onStack[successor] {
                        low[node] = min(low[node], index[successor])
                    }
                    continue
                }
                work.removeLast()
                if let parent = work.last?.node { low[parent] = min(low[parent], low[node]) }
                guard low[node] == index[node] else { continue }
                var component = [Int]()
                while let top = stack.popLast() {
                    onStack[top] = false
                    component.append(top)
                    if top == node { break }
                }
                result.append(component.sorted())
            }
        }
        return result.sorted { $0[0] < $1[0] }
    }
}
