import Foundation
import PostgresNIO

/// A PostgreSQL server and database, parsed from a URL, with the connection pool's size, the timeouts and TLS that
/// `contracts/node-config.md` documents as URL parameters (the names libpq uses where it has one).
public struct PostgresTarget: Hashable, Sendable, CustomStringConvertible {
    public enum TLSMode: String, Hashable, Sendable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it (verified as for `require`), else plain TCP.
        case prefer
        /// TLS or no connection; the server's certificate must chain to the system's roots or `sslrootcert` and
        /// name the host (what libpq calls `verify-full`).
        case require
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    /// `sslrootcert`: a PEM file of the CA certificates the server's certificate must chain to, instead of the
    /// system's roots (a private database CA).
    public var tlsRootCertificates: String?
    /// `connect_timeout`: seconds to open a TCP connection and finish the start-up handshake.
    public var connectTimeoutSeconds: Int
    /// `statement_timeout`: milliseconds after which the server cancels a statement (0: no limit), sent as a
    /// start-up parameter on every connection.
    public var statementTimeoutMillis: Int
    /// `pool_max`: connections the node's pool opens at most.
    public var poolMax: Int
    /// `pool_idle_timeout`: seconds an idle connection beyond the first stays open.
    public var poolIdleTimeoutSeconds: Int

    public static let defaultConnectTimeoutSeconds = 10
    public static let defaultStatementTimeoutMillis = 0
    public static let defaultPoolMax = 20
    public static let defaultPoolIdleTimeoutSeconds = 60

    public init(
        host: String, port: Int = 5432, username: String, password: String?, database: String, tls: TLSMode,
        tlsRootCertificates: String? = nil, connectTimeoutSeconds: Int = defaultConnectTimeoutSeconds,
        statementTimeoutMillis: Int = defaultStatementTimeoutMillis, poolMax: Int = defaultPoolMax,
        poolIdleTimeoutSeconds: Int = defaultPoolIdleTimeoutSeconds
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
        self.tlsRootCertificates = tlsRootCertificates
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.statementTimeoutMillis = statementTimeoutMillis
        self.poolMax = poolMax
        self.poolIdleTimeoutSeconds = poolIdleTimeoutSeconds
    }

    /// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?PARAMETER=VALUE&…]`; percent-escapes in the user and
    /// password are decoded. Parameters: `sslmode` (`disable`, `prefer`, `require`), `sslrootcert` (a PEM file),
    /// `connect_timeout` (seconds, 1 to 300), `statement_timeout` (milliseconds, 0 to 3,600,000), `pool_max`
    /// (1 to 500) and `pool_idle_timeout` (seconds, 1 to 86,400). Anything else is refused.
    public init(url text: String) throws(StoreError) {
        guard let url = URLComponents(string: text), url.scheme == "postgres" || url.scheme == "postgresql" else {
            throw StoreError(.invalidRequest, "not a postgres:// URL")
        }
        guard let host = url.host, !host.isEmpty else { throw StoreError(.invalidRequest, "the URL names no host") }
        guard let user = url.user, !user.isEmpty else { throw StoreError(.invalidRequest, "the URL names no user") }
        let database = String(url.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw StoreError(.invalidRequest, "the URL names no database")
        }
        self.init(
            host: host, port: url.port ?? 5432, username: user.removingPercentEncoding ?? user,
            password: url.password.map { $0.removingPercentEncoding ?? $0 }, database: database, tls: .prefer)
        for item in url.queryItems ?? [] { try apply(item.name, item.value ?? "") }
    }

    private mutating func apply(_ name: String, _ value: String) throws(StoreError) {
        func number(_ range: ClosedRange<Int>) throws(StoreError) -> Int {
            guard let number = Int(value), range.contains(number) else {
                throw StoreError(
                    .invalidRequest, "\(name) is a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return number
        }
        switch name {
        case "sslmode":
            guard let mode = TLSMode(rawValue: value) else {
                throw StoreError(.invalidRequest, "sslmode is disable, prefer or require")
            }
            tls = mode
        case "sslrootcert":
            guard !value.isEmpty else { throw StoreError(.invalidRequest, "sslrootcert names a PEM file") }
            tlsRootCertificates = value
        case "connect_timeout": connectTimeoutSeconds = try number(1...300)
        case "statement_timeout": statementTimeoutMillis = try number(0...3_600_000)
        case "pool_max": poolMax = try number(1...500)
        case "pool_idle_timeout": poolIdleTimeoutSeconds = try number(1...86_400)
        default: throw StoreError(.invalidRequest, "unknown URL parameter \(name)")
        }
    }

    /// The URL without the password, with every parameter that differs from its default.
    public var description: String {
        var text = "postgres://\(username)@\(host):\(port)/\(database)?sslmode=\(tls.rawValue)"
        if let tlsRootCertificates { text += "&sslrootcert=\(tlsRootCertificates)" }
        if connectTimeoutSeconds != Self.defaultConnectTimeoutSeconds {
            text += "&connect_timeout=\(connectTimeoutSeconds)"
        }
        if statementTimeoutMillis != Self.defaultStatementTimeoutMillis {
            text += "&statement_timeout=\(statementTimeoutMillis)"
        }
        if poolMax != Self.defaultPoolMax { text += "&pool_max=\(poolMax)" }
        if poolIdleTimeoutSeconds != Self.defaultPoolIdleTimeoutSeconds {
            text += "&pool_idle_timeout=\(poolIdleTimeoutSeconds)"
        }
        return text
    }

    /// The same server and settings, another database.
    public func database(_ name: String) -> PostgresTarget {
        var target = self
        target.database = name
        return target
    }

    /// The client TLS settings for `require` and `prefer`: the system's roots, or `sslrootcert`'s.
    var clientTLS: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let tlsRootCertificates { configuration.trustRoots = .file(tlsRootCertificates) }
        return configuration
    }

    var startupParameters: [(String, String)] {
        statementTimeoutMillis > 0 ? [("statement_timeout", String(statementTimeoutMillis))] : []
    }

    /// The pool's configuration.
    public var configuration: PostgresClient.Configuration {
        let mode: PostgresClient.Configuration.TLS
        switch tls {
        case .disable: mode = .disable
        case .prefer: mode = .prefer(clientTLS)
        case .require: mode = .require(clientTLS)
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: mode)
        configuration.options.connectTimeout = .seconds(connectTimeoutSeconds)
        configuration.options.maximumConnections = poolMax
        configuration.options.connectionIdleTimeout = .seconds(poolIdleTimeoutSeconds)
        configuration.options.additionalStartupParameters = startupParameters
        return configuration
    }

    /// One connection's configuration (checks before the pool starts, administration).
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let mode: PostgresConnection.Configuration.TLS
        switch tls {
        case .disable: mode = .disable
        case .prefer: mode = .prefer(try NIOSSLContext(configuration: clientTLS))
        case .require: mode = .require(try NIOSSLContext(configuration: clientTLS))
        }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: mode)
        configuration.options.connectTimeout = .seconds(Int64(connectTimeoutSeconds))
        configuration.options.additionalStartupParameters = startupParameters
        return configuration
    }
}
