import MusicCore

/// Where in the form the session is, and how to follow a player who plays the chords.
///
/// The form position is a shift: session bar b is form bar (b + shift) mod the form's bars. After each bar
/// in which the player played a chord, the last few such bars are matched against the form at
/// every shift; when another shift explains them clearly better than the current one, the
/// player has moved (or improv lost its place) and the engine follows.
public struct FormTracker: Sendable {
    public let form: ChordForm
    /// Pitch-class masks of each bar's chords, in the model's key (up to two a bar are matched).
    private let masks: [UInt16]
    private let secondMasks: [UInt16]
    public private(set) var shift = 0
    /// The last bars where the player played a chord: (session bar, pitch-class mask); -1 = none.
    private var heardBars = [Int](repeating: -1, count: 4)
    private var heardMasks = [UInt16](repeating: 0, count: 4)
    private var next = 0

    public init(form: ChordForm) {
        self.form = form
        masks = form.bars.map { $0[0].pitchClassMask }
        secondMasks = form.bars.map { $0.count > 1 ? $0[1].pitchClassMask : $0[0].pitchClassMask }
    }

    public func formBar(ofSessionBar b: Int) -> Int { ((b + shift) % masks.count + masks.count) % masks.count }

    static func matches(_ heard: UInt16, _ chord: UInt16) -> Bool {
        heard == chord || (heard & chord).nonzeroBitCount >= 3 && (heard & ~chord).nonzeroBitCount <= 1
    }

    /// Records the player's chord (pitch classes in the model's key) for session bar `bar`;
    /// returns true when the form position changed.
    public mutating func heard(chordMask: UInt16, inBar bar: Int) -> Bool {
        guard chordMask != 0 else { return false }
        heardBars[next] = bar
        heardMasks[next] = chordMask
        next = (next + 1) % heardBars.count
        var bestShift = shift, bestScore = score(shift), current = bestScore
        for candidate in 0..<masks.count where candidate != shift {
            let s = score(candidate)
            if s > bestScore { bestShift = candidate; bestScore = s }
        }
        // Move only on clear evidence: two bars more than the current place explains.
        guard bestShift != shift, bestScore >= current + 2 else { return false }
        shift = bestShift
        return true
    }

    private func score(_ candidate: Int) -> Int {
        var n = 0
        for i in heardBars.indices where heardBars[i] >= 0 {
            let formBar = ((heardBars[i] + candidate) % masks.count + masks.count) % masks.count
            // A bar of two chords heard as one: either chord, or both together, explains it.
            let heard = heardMasks[i]
            if Self.matches(heard, masks[formBar]) || Self.matches(heard, secondMasks[formBar])
                || Self.matches(heard, masks[formBar] | secondMasks[formBar]) { n += 1 }
        }
        return n
    }
}
