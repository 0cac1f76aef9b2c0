/// What is wrong with a preset: the file, the key (as `table.key`) or the line, and what was expected.
public struct PresetError: Error, CustomStringConvertible, Equatable {
    public var file: String
    /// Dotted key path such as "session.tempo", or nil for a syntax error.
    public var key: String?
    public var line: Int?
    public var column: Int?
    public var reason: String

    public var description: String {
        var place = file
        if let line { place += ":\(line)" + (column.map { ":\($0)" } ?? "") }
        if let key { place += ": \(key)" }
        return "\(place): \(reason)"
    }
}
