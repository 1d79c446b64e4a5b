import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The history's progress bar: months, records committed, the rate and the height. On a terminal it redraws one
/// line; otherwise (a log, a test) it prints a line every few seconds, so the output stays readable.
package struct DevnetProgress {
    package let months: Int
    package let start = ContinuousClock.now
    private let terminal = isatty(STDOUT_FILENO) != 0
    private var lastDraw = ContinuousClock.now
    private var drawn = false

    package init(months: Int) {
        self.months = months
    }

    /// Redraws when due (always when `final`).
    package mutating func update(month: Int, records: Int, height: UInt64, final: Bool = false) {
        let now = ContinuousClock.now
        guard final || now - lastDraw >= (terminal ? .milliseconds(200) : .seconds(5)) else { return }
        lastDraw = now
        let seconds = max(Self.seconds(now - start), 0.001)
        let width = 24
        let filled = months == 0 ? width : min(width, width * month / months)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let line =
            "history [\(bar)] month \(month)/\(months) · \(records.formatted()) records · "
            + "\(Int(Double(records) / seconds).formatted()) records/s · height \(height) · \(Int(seconds)) s"
        if terminal {
            print("\r\u{1B}[2K" + line, terminator: final ? "\n" : "")
        } else {
            print(line)
        }
        fflush(nil)
        drawn = true
    }

    package static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
