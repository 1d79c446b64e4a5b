/// Charts as inline SVG, drawn by pure functions from numbers to markup: no script, no external library, and
/// readable without colour, since every series also has its own texture (bars) or dash and marker (lines), named
/// in a legend, and every bar or point carries a `<title>` with its values. Axes have ticks and say their unit.
/// The `viewBox` scales the chart to its container, so it fits a phone's width.
public enum SVGChart {
    /// How a series is told apart without colour.
    public enum Texture: Int, Sendable, CaseIterable {
        case solid, hatched, dotted, crossed
    }

    /// One stacked series: its name in the legend and its texture.
    public struct Series: Sendable {
        public var name: String
        public var texture: Texture

        public init(name: String, texture: Texture) {
            self.name = name
            self.texture = texture
        }
    }

    /// One bar: `key` goes into `data-<keyAttribute>` (tests and scripts find bars by it), `label` under the axis,
    /// and one value per series, bottom first; negative values count as zero.
    public struct Bar: Sendable {
        public var key: String
        public var label: String
        public var values: [Double]

        public init(key: String, label: String, values: [Double]) {
            self.key = key
            self.label = label
            self.values = values
        }
    }

    /// A stacked bar chart: one `<g data-<keyAttribute>="key">` per bar, holding a `<title>` with every series'
    /// value and the total, and one `<rect>` per non-zero part. `id` prefixes the pattern ids, so several charts fit
    /// on one page.
    public static func stackedBars(
        id: String, title: String, bars: [Bar], series: [Series], unit: String, keyAttribute: String = "month",
        width: Double = 640, height: Double = 300
    ) -> HTML {
        let frame = Frame(width: width, height: height)
        let totals = bars.map { bar in bar.values.reduce(0) { $0 + max(0, $1) } }
        let ticks = niceTicks(upTo: totals.max() ?? 0)
        let top = ticks.last ?? 1
        let slot = frame.plotWidth / Double(max(bars.count, 1))
        let barWidth = slot * 0.7
        var groups = [HTML]()
        for (index, bar) in bars.enumerated() {
            let x = frame.left + slot * Double(index) + (slot - barWidth) / 2
            var base = 0.0
            var rects = [HTML]()
            var parts = [String]()
            for (part, value) in bar.values.enumerated() where part < series.count {
                let amount = max(0, value)
                parts.append("\(series[part].name) \(DashboardFormat.number(amount)) \(unit)")
                guard amount > 0 else { continue }
                let y0 = frame.y(base, top: top)
                let y1 = frame.y(base + amount, top: top)
                base += amount
                rects.append(
                    """
                    <rect x="\(c(x))" y="\(c(y1))" width="\(c(barWidth))" height="\(c(y0 - y1))" \
                    fill="url(#\(id)-t\(series[part].texture.rawValue))" stroke="#1b1b1b" stroke-width="0.75"/>
                    """)
            }
            let summary =
                "\(bar.label): " + parts.joined(separator: "; ")
                + "; total \(DashboardFormat.number(totals[index])) \(unit)"
            let labelX = x + barWidth / 2
            groups.append(
                """
                <g data-\(keyAttribute)="\(bar.key)"><title>\(summary)</title>\(rects)\
                <text x="\(c(labelX))" y="\(c(frame.bottom + 16))" text-anchor="middle" \
                font-size="11">\(bar.label)</text></g>
                """)
        }
        let legend = series.enumerated().map { index, item in
            let x = frame.left + Double(index) * 170
            return HTML(
                """
                <g class="legend"><rect x="\(c(x))" y="6" width="14" height="14" \
                fill="url(#\(id)-t\(item.texture.rawValue))" stroke="#1b1b1b" stroke-width="0.75"/>\
                <text x="\(c(x + 19))" y="17" font-size="12">\(item.name)</text></g>
                """)
        }
        return """
            <svg class="chart" id="\(id)" role="img" aria-labelledby="\(id)-title" viewBox="0 0 \(c(width)) \
            \(c(height))" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">\
            <title id="\(id)-title">\(title)</title><defs>\(textures(id))</defs>\(legend)\
            \(valueAxis(frame, ticks: ticks, top: top, label: unit))\
            <line x1="\(c(frame.left))" y1="\(c(frame.bottom))" x2="\(c(frame.right))" y2="\(c(frame.bottom))" \
            stroke="#1b1b1b"/>\(groups)</svg>
            """
    }

    /// How a line series is told apart without colour.
    public enum Stroke: Int, Sendable, CaseIterable {
        case solid, dashed, dotted
    }

    /// One line: its points in data coordinates, its stroke, and whether the area under it is shaded.
    public struct Line: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        public var stroke: Stroke
        public var area: Bool

        public init(name: String, points: [(x: Double, y: Double)], stroke: Stroke, area: Bool = false) {
            self.name = name
            self.points = points
            self.stroke = stroke
            self.area = area
        }
    }

    /// An axis of a line chart: what it measures, in which unit, and its range.
    public struct Axis: Sendable {
        public var label: String
        public var unit: String
        public var range: ClosedRange<Double>

        public init(label: String, unit: String, range: ClosedRange<Double>) {
            self.label = label
            self.unit = unit
            self.range = range
        }
    }

    /// A line (or area) chart, such as a ROC curve or a calibration plot: one `<g data-series="name">` per line,
    /// each point a marker with a `<title>` of its coordinates; ticks on both axes, each axis titled with its unit.
    public static func lines(
        id: String, title: String, lines: [Line], x: Axis, y: Axis, width: Double = 480, height: Double = 360
    ) -> HTML {
        let frame = Frame(width: width, height: height)
        let xSpan = max(x.range.upperBound - x.range.lowerBound, .leastNonzeroMagnitude)
        let ySpan = max(y.range.upperBound - y.range.lowerBound, .leastNonzeroMagnitude)
        func px(_ value: Double) -> Double { frame.left + (value - x.range.lowerBound) / xSpan * frame.plotWidth }
        func py(_ value: Double) -> Double { frame.bottom - (value - y.range.lowerBound) / ySpan * frame.plotHeight }
        let dashes = ["", "8 4", "2 3"]
        var groups = [HTML]()
        for line in lines {
            let coordinates = line.points.map { "\(c(px($0.x))),\(c(py($0.y)))" }
            var shapes = [HTML]()
            if line.area, let first = line.points.first, let last = line.points.last {
                let polygon =
                    "\(c(px(first.x))),\(c(frame.bottom)) " + coordinates.joined(separator: " ")
                    + " \(c(px(last.x))),\(c(frame.bottom))"
                shapes.append("<polygon points=\"\(polygon)\" fill=\"#1b1b1b\" fill-opacity=\"0.12\"/>")
            }
            let dash = dashes[line.stroke.rawValue]
            shapes.append(
                """
                <polyline points="\(coordinates.joined(separator: " "))" fill="none" stroke="#1b1b1b" \
                stroke-width="2"\(dash.isEmpty ? HTML.empty : " stroke-dasharray=\"\(dash)\"")/>
                """)
            for point in line.points {
                shapes.append(
                    """
                    <circle cx="\(c(px(point.x)))" cy="\(c(py(point.y)))" r="3" fill="#fff" stroke="#1b1b1b">\
                    <title>\(line.name): \(x.label) \(DashboardFormat.compact(point.x)) \(x.unit), \(y.label) \
                    \(DashboardFormat.compact(point.y)) \(y.unit)</title></circle>
                    """)
            }
            groups.append("<g data-series=\"\(line.name)\">\(shapes)</g>")
        }
        let legend = lines.enumerated().map { index, line in
            let lx = frame.left + Double(index) * 150
            let dash = dashes[line.stroke.rawValue]
            return HTML(
                """
                <g class="legend"><line x1="\(c(lx))" y1="13" x2="\(c(lx + 24))" y2="13" stroke="#1b1b1b" \
                stroke-width="2"\(dash.isEmpty ? HTML.empty : " stroke-dasharray=\"\(dash)\"")/>\
                <text x="\(c(lx + 30))" y="17" font-size="12">\(line.name)</text></g>
                """)
        }
        let xTicks = (0...4).map { x.range.lowerBound + xSpan * Double($0) / 4 }
        let yTicks = (0...4).map { y.range.lowerBound + ySpan * Double($0) / 4 }
        let xAxis = xTicks.map { value in
            HTML(
                """
                <line x1="\(c(px(value)))" y1="\(c(frame.bottom))" x2="\(c(px(value)))" \
                y2="\(c(frame.bottom + 4))" stroke="#1b1b1b"/><text x="\(c(px(value)))" y="\(c(frame.bottom + 16))" \
                text-anchor="middle" font-size="11">\(DashboardFormat.compact(value))</text>
                """)
        }
        let yAxis = yTicks.map { value in
            HTML(
                """
                <line x1="\(c(frame.left - 4))" y1="\(c(py(value)))" x2="\(c(frame.right))" y2="\(c(py(value)))" \
                stroke="#d0d0d0"/><text x="\(c(frame.left - 6))" y="\(c(py(value) + 4))" text-anchor="end" \
                font-size="11">\(DashboardFormat.compact(value))</text>
                """)
        }
        return """
            <svg class="chart" id="\(id)" role="img" aria-labelledby="\(id)-title" viewBox="0 0 \(c(width)) \
            \(c(height))" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">\
            <title id="\(id)-title">\(title)</title>\(legend)\(yAxis)\(xAxis)\
            <line x1="\(c(frame.left))" y1="\(c(frame.top))" x2="\(c(frame.left))" y2="\(c(frame.bottom))" \
            stroke="#1b1b1b"/><line x1="\(c(frame.left))" y1="\(c(frame.bottom))" x2="\(c(frame.right))" \
            y2="\(c(frame.bottom))" stroke="#1b1b1b"/>\
            <text x="\(c((frame.left + frame.right) / 2))" y="\(c(height - 4))" text-anchor="middle" \
            font-size="12">\(axisTitle(x))</text>\
            <text x="12" y="\(c((frame.top + frame.bottom) / 2))" text-anchor="middle" font-size="12" \
            transform="rotate(-90 12 \(c((frame.top + frame.bottom) / 2)))">\(axisTitle(y))</text>\(groups)</svg>
            """
    }

    /// Round tick values from zero up to at least `maximum`: steps of 1, 2 or 5 times a power of ten, about five of
    /// them. A zero or non-finite maximum gives the ticks of 0...1.
    public static func niceTicks(upTo maximum: Double, count: Int = 5) -> [Double] {
        guard maximum.isFinite, maximum > 0 else { return [0, 0.25, 0.5, 0.75, 1] }
        let rough = maximum / Double(max(count, 1))
        var power = 1.0
        while power * 10 <= rough { power *= 10 }
        while power > rough { power /= 10 }
        let step = [1.0, 2.0, 5.0, 10.0].map { $0 * power }.first { $0 >= rough } ?? power * 10
        var ticks = [0.0]
        while let last = ticks.last, last < maximum { ticks.append(last + step) }
        return ticks
    }

    /// The plot area inside the margins kept for the legend, the tick labels and the axis titles.
    struct Frame {
        let width: Double
        let height: Double
        let left = 64.0
        let top = 32.0
        var right: Double { width - 12 }
        var bottom: Double { height - 36 }
        var plotWidth: Double { right - left }
        var plotHeight: Double { bottom - top }

        func y(_ value: Double, top maximum: Double) -> Double {
            bottom - value / maximum * plotHeight
        }
    }

    private static func c(_ value: Double) -> String { DashboardFormat.coordinate(value) }

    private static func axisTitle(_ axis: Axis) -> String {
        axis.unit.isEmpty ? axis.label : "\(axis.label) (\(axis.unit))"
    }

    /// The value axis of the bar chart: gridlines and tick labels, titled with the unit.
    private static func valueAxis(_ frame: Frame, ticks: [Double], top: Double, label: String) -> HTML {
        let lines = ticks.map { value in
            let y = frame.y(value, top: top)
            return HTML(
                """
                <line x1="\(c(frame.left - 4))" y1="\(c(y))" x2="\(c(frame.right))" y2="\(c(y))" stroke="#d0d0d0"/>\
                <text x="\(c(frame.left - 6))" y="\(c(y + 4))" text-anchor="end" font-size="11">\
                \(DashboardFormat.compact(value))</text>
                """)
        }
        let middle = (frame.top + frame.bottom) / 2
        return """
            \(lines)<line x1="\(c(frame.left))" y1="\(c(frame.top))" x2="\(c(frame.left))" y2="\(c(frame.bottom))" \
            stroke="#1b1b1b"/><text x="12" y="\(c(middle))" text-anchor="middle" font-size="12" \
            transform="rotate(-90 12 \(c(middle)))">\(label)</text>
            """
    }

    /// The patterns behind `Texture`, one per case, each drawn in black on white so print and grey-scale keep them.
    private static func textures(_ id: String) -> HTML {
        """
        <pattern id="\(id)-t0" width="6" height="6" patternUnits="userSpaceOnUse">\
        <rect width="6" height="6" fill="#3a3a3a"/></pattern>\
        <pattern id="\(id)-t1" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">\
        <rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#1b1b1b" \
        stroke-width="2.5"/></pattern>\
        <pattern id="\(id)-t2" width="6" height="6" patternUnits="userSpaceOnUse">\
        <rect width="6" height="6" fill="#fff"/><circle cx="3" cy="3" r="1.3" fill="#1b1b1b"/></pattern>\
        <pattern id="\(id)-t3" width="8" height="8" patternUnits="userSpaceOnUse">\
        <rect width="8" height="8" fill="#fff"/><path d="M0 0L8 8M8 0L0 8" stroke="#1b1b1b" stroke-width="1"/>\
        </pattern>
        """
    }
}
