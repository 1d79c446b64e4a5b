import ArgumentParser
import FacetClient
import FacetCore
import FacetLedger

/// Option parsers for `facet tx` and `facet query`: FacetClient's `InputText` with its refusals turned into usage
/// errors (exit status 64), so a bad id, time or name stops the command before anything is signed or sent.
enum CLIInput {
    /// Runs a FacetClient parse, turning its `ClientError` into a usage error.
    static func parse<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ClientError {
            throw ValidationError(error.message)
        }
    }

    static func id<Kind>(_ text: String) throws -> Identifier<Kind> { try parse { try InputText.id(text) } }
    static func time(_ text: String) throws -> Timestamp { try parse { try InputText.time(text) } }
    static func category(_ text: String) throws -> PieceCategory { try parse { try InputText.category(text) } }
    static func channel(_ text: String) throws -> SalesChannel { try parse { try InputText.channel(text) } }
    static func product(_ text: String) throws -> Product { try parse { try InputText.product(text) } }
    static func collateral(_ text: String) throws -> Collateral { try parse { try InputText.collateral(text) } }
    static func roles(_ text: String) throws -> Roles { try parse { try InputText.roles(text) } }
    static func publicKey(_ text: String) throws -> PublicKey { try parse { try InputText.publicKey(text) } }
    static func money(_ amount: String, _ currency: String) throws -> Money {
        try parse { try AmountText.money(amount, currency: currency) }
    }
    static func label(_ what: String) -> @Sendable (String) throws -> Label {
        { text in try parse { try InputText.label(text, what) } }
    }
    static func text(_ what: String) -> @Sendable (String) throws -> String {
        { text in try parse { try InputText.text(text, what) } }
    }
    static func hash(_ what: String) -> @Sendable (String) throws -> Hash256 {
        { text in try parse { try InputText.hash(text, what) } }
    }

    /// The names an enum option accepts, for its help.
    static func names<T: NamedInput>(_ type: T.Type) -> String {
        InputText.names(of: T.self).joined(separator: ", ")
    }
}
