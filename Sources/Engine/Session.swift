import MusicCore

/// Who plays what in each slice: the mode's rules (call-and-response, backing, duet).
///
/// Decided one slice at a time as the clock passes, and looked ahead a few slices so that
/// improv's notes can be scheduled before they are due.
public struct Session: Sendable {
    public enum Mode: String, Sendable, CaseIterable {
        case callAndResponse = "call-and-response", backing, duet
    }

    /// What improv sounds in a slice. (The model always hears a chord: its own, or the player's.)
    public struct Parts: Hashable, Sendable {
        public var chords: Bool
        public var melody: Bool
        public static let none = Parts(chords: false, melody: false)
        public static let both = Parts(chords: true, melody: true)
    }

    public enum Phase: Hashable, Sendable {
        /// Waiting for the player's first note.
        case waiting
        /// The player is calling, since this slice.
        case calling(fromSlice: Int)
        /// improv answers in slices start..<end.
        case answering(start: Int, end: Int)
    }

    public var mode: Mode
    /// Bars in a call (0: a call ends after `silenceSlices` of silence).
    public var callBars: Int
    /// Bars in an answer (0: as long as the call).
    public var responseBars: Int
    /// Slices a bar, from the form's meter.
    public let slicesPerBar: Int
    /// How long a silence ends a call (a bar).
    public var silenceSlices: Int
    /// In backing mode, how long a gap in the player's line lets improv's melody in (half a bar).
    public var gapSlices: Int
    /// Answers start at least this many slices after the decision (a slice of scheduling slack).
    public var leadSlices = 2

    public private(set) var phase = Phase.waiting
    /// The first slice in which the player played since the answer was decided: a call made
    /// over improv's answer is answered once that answer is over (else it would be lost).
    public private(set) var calledDuringAnswer: Int?

    public init(mode: Mode, callBars: Int = 0, responseBars: Int = 0, slicesPerBar: Int = Meter.fourFour.slicesPerBar) {
        self.slicesPerBar = slicesPerBar
        silenceSlices = slicesPerBar
        gapSlices = slicesPerBar / 2
        self.mode = mode
        self.callBars = callBars
        self.responseBars = responseBars
    }

    /// Updates the phase when slice `s` is complete, given how long the player has been quiet
    /// and whether the player played in `s`.
    public mutating func sliceFinished(_ s: Int, playerActive: Bool, silentSlices: Int) {
        let per = slicesPerBar
        guard mode == .callAndResponse, callBars == 0 else { return }
        switch phase {
        case .waiting:
            if playerActive { phase = .calling(fromSlice: s) }
        case .calling(let fromSlice):
            // The call is over once a bar of silence will have passed by the next bar line that
            // is far enough ahead to schedule: the answer starts on that bar line.
            let lastActive = s - silentSlices
            let start = ((s + leadSlices + per - 1) / per) * per
            if silentSlices >= silenceSlices - leadSlices, start - lastActive - 1 >= silenceSlices {
                // As long as the call: its length in slices, rounded up to whole bars.
                let bars = responseBars > 0 ? responseBars : max(1, (lastActive - fromSlice + per) / per)
                phase = .answering(start: start, end: start + bars * per)
            }
        case .answering(_, let end):
            if playerActive && calledDuringAnswer == nil { calledDuringAnswer = s }
            if s + 1 >= end {
                phase = calledDuringAnswer.map { .calling(fromSlice: $0) } ?? .waiting
                calledDuringAnswer = nil
            }
        }
    }

    /// What improv sounds in slice `g` (at or after the last finished slice), with the player
    /// silent for `silentSlices` as of now.
    public func parts(at g: Int, silentSlices: Int) -> Parts {
        switch mode {
        case .duet:
            return .both
        case .backing:
            // A gap is a silence after the player has played (Int.max: not yet played).
            return Parts(chords: true, melody: silentSlices >= gapSlices && silentSlices != Int.max)
        case .callAndResponse:
            if callBars > 0 {
                let bar = g / slicesPerBar
                let cycle = callBars + (responseBars > 0 ? responseBars : callBars)
                return bar % cycle >= callBars ? .both : .none
            }
            if case .answering(let start, let end) = phase, g >= start, g < end { return .both }
            return .none
        }
    }

    /// Back to waiting (mode change, panic).
    public mutating func reset() {
        phase = .waiting
        calledDuringAnswer = nil
    }
}
