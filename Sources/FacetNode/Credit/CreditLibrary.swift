import FacetCore
import FacetCredit
import FacetScorecard
import Foundation

/// The files a node decides credit with: scorecard models (each checked against its content hash), product
/// definitions and lender policies, read once at start-up from the folders of the configuration's `credit`.
public struct CreditLibrary: Sendable {
    /// By content hash.
    public let models: [Hash256: ScorecardModel]
    /// By id (the file name without `.json`).
    public let products: [String: CreditProduct]
    public let policies: [LenderPolicy]

    public init(models: [ScorecardModel], products: [CreditProduct], policies: [LenderPolicy]) {
        var byHash = [Hash256: ScorecardModel]()
        for model in models {
            if let hash = model.hash.flatMap(Hash256.init(hex:)) { byHash[hash] = model }
        }
        self.models = byHash
        self.products = Dictionary(products.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.policies = policies
    }

    /// Reads every `*.json` of the three folders; a file that does not load fails start-up with its name.
    public static func load(_ folders: NodeConfig.Credit) throws(NodeConfigError) -> CreditLibrary {
        var models = [ScorecardModel]()
        for (path, data) in try files(folders.models) {
            do {
                models.append(try ScorecardModel.load(json: Array(data)))
            } catch {
                throw NodeConfigError(.invalid, "credit model \(path): \(error)")
            }
        }
        var products = [CreditProduct]()
        for (path, data) in try files(folders.products) {
            do {
                products.append(try CreditProduct.decode(data))
            } catch {
                throw NodeConfigError(.invalid, "credit product \(path): \(error)")
            }
        }
        var policies = [LenderPolicy]()
        for (path, data) in try files(folders.policies) {
            do {
                policies.append(try LenderPolicy.decode(data))
            } catch {
                throw NodeConfigError(.invalid, "lender policy \(path): \(error)")
            }
        }
        return CreditLibrary(models: models, products: products, policies: policies)
    }

    /// The longest aging cut-off of the receivables products: older invoices count for none of them.
    public var receivableDays: Int? {
        products.values.compactMap { $0.receivables?.agingCutoffDays }.max()
    }

    /// The policy of the lender whose member name is `name`.
    public func policy(memberName name: String) -> LenderPolicy? {
        policies.first { $0.memberName == name }
    }

    /// A policy's products that the library defines, in the policy's order.
    public func products(of policy: LenderPolicy) -> [CreditProduct] {
        policy.products.compactMap { products[$0] }
    }

    private static func files(_ folder: String) throws(NodeConfigError) -> [(String, Data)] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw NodeConfigError(.unreadable, "cannot list the credit folder \(folder)")
        }
        var result = [(String, Data)]()
        for name in names.sorted() where name.hasSuffix(".json") {
            let path = (folder as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw NodeConfigError(.unreadable, "cannot read \(path)")
            }
            result.append((path, data))
        }
        return result
    }
}
