import FacetCore
import FacetLedger
import Foundation
import Synchronization

/// The consensus keys a validator holds: its member key (a validator's first consensus key, as genesis and
/// `change_validators` require) and each key `facet node rotate-key` wrote into `<data>/consensus-keys/`. The node
/// signs a height's proposals and votes with the key the ledger's validator set names for it at that height, so it
/// switches key exactly where `rotate_validator_key` takes effect, whenever and however often the node restarts.
///
/// A key the set names that is not loaded yet is looked for in the folder again: the rotation's key file is written
/// while the node runs, before the transaction that names it is submitted. A key asked for the first time reads the
/// folder at once (a rotation names a new key); a key still missing after that reads it again only every
/// `missesPerRead` asks, so a validator whose set names a key it never got does not read and parse the whole folder
/// at every height.
public final class ValidatorKeyring: Sendable {
    /// The folder inside the node's data directory.
    public static let folderName = "consensus-keys"

    /// Where rotated keys are read from; nil for a keyring held in memory only (tests, benchmarks).
    public let directory: String?
    /// Asks for a missing key between two reads of the folder for it.
    public static let missesPerRead = 16
    private let keys: Mutex<Held>

    private struct Held {
        var keys: [PublicKey: SigningKey]
        /// Missing keys, with the asks since the folder was last read for each.
        var misses: [PublicKey: Int] = [:]
        var folderReads = 0
    }

    public init(memberKey: SigningKey, directory: String? = nil) {
        self.directory = directory
        keys = Mutex(Held(keys: [memberKey.publicKey: memberKey]))
    }

    /// How many times the folder was read (what the throttle bounds).
    public var folderReads: Int { keys.withLock { $0.folderReads } }

    /// The keyring of a node whose data directory is `dataDirectory`.
    public convenience init(memberKey: SigningKey, dataDirectory: String) {
        self.init(memberKey: memberKey, directory: Self.directory(dataDirectory: dataDirectory))
    }

    public static func directory(dataDirectory: String) -> String {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent(folderName).path
    }

    /// Where a rotated key's file goes: named after its public key, so two keys never share a file.
    public static func path(for key: PublicKey, dataDirectory: String) -> String {
        URL(fileURLWithPath: directory(dataDirectory: dataDirectory)).appendingPathComponent("\(key.hex).key").path
    }

    /// Holds `key` from now on (a test's or a benchmark's keyring without a folder).
    public func add(_ key: SigningKey) {
        keys.withLock { held in
            held.keys[key.publicKey] = key
            held.misses[key.publicKey] = nil
        }
    }

    /// The private key of `publicKey`, reading the folder again when it is not held yet (at once for a key not
    /// asked before, then every `missesPerRead` asks); nil when this validator does not hold it (it then cannot
    /// sign: its messages would not verify).
    public func key(for publicKey: PublicKey) -> SigningKey? {
        let read = keys.withLock { held -> Bool? in
            if held.keys[publicKey] != nil { return nil }
            guard directory != nil else { return false }
            let asks = held.misses[publicKey].map { $0 + 1 }
            let due = asks.map { $0 >= Self.missesPerRead } ?? true
            held.misses[publicKey] = due ? 0 : asks
            if due { held.folderReads += 1 }
            return due
        }
        if read == true {
            for key in loadFolder() { add(key) }
        }
        return keys.withLock { $0.keys[publicKey] }
    }

    /// The key the set names for `member`, if the set seats it and this keyring holds that key.
    public func key(of member: MemberID, in validators: ValidatorSet) -> SigningKey? {
        validators.validator(member).flatMap { key(for: $0.publicKey) }
    }

    /// Every readable key file in the folder (the JSON of `facet keys new`: `seed` and `publicKey` in hex); a file
    /// that does not parse, or whose public key does not match its seed, is skipped.
    private func loadFolder() -> [SigningKey] {
        guard let directory, let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            return []
        }
        return names.sorted().compactMap { name -> SigningKey? in
            guard name.hasSuffix(".key"),
                let data = FileManager.default.contents(atPath: directory + "/" + name),
                let file = try? JSONDecoder().decode(KeyFileFields.self, from: data),
                let seed = Hex.decode(file.seed), let key = try? SigningKey(seed: seed),
                key.publicKey.hex == file.publicKey.lowercased()
            else { return nil }
            return key
        }
    }

    private struct KeyFileFields: Decodable {
        var seed: String
        var publicKey: String
    }
}
