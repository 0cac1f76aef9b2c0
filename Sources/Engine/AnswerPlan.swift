import MusicCore

/// What an answer means to do, slice by slice, developed from the call it answers: the call's
/// rhythm and intervals moved (a sequence a step away, the motif moved to the chord of the
/// answer's bar, or its contour turned over), then the call's rhythm again with a new line
/// that closes (on the tonic after a question; elsewhere in the key after a call that closed).
///
/// The plan does not play: it guides the model's melody choices (`MelodyGuide`), which stay
/// sampled from the LSTM, so the answer is the model's line bent toward the call. Pitches are
/// the player's (not the model's key), which is how the answer lands in the call's register.
/// Built once per answer into fixed-size storage: no allocation.
public struct AnswerPlan: Sendable {
    public enum Target: Hashable, Sendable {
        /// Nothing planned: the model alone chooses.
        case free
        case rest
        /// Strike this pitch (the player's pitch space).
        case attack(UInt8)
        /// Strike a note, near this pitch if the model agrees (a line to vary, not to keep).
        case lean(UInt8)
        /// Strike a note, the model's choice of pitch.
        case strike
        /// Hold the note that sounds.
        case hold
    }

    /// How the first part of the answer moves the call's motif.
    public enum Development: String, Sendable, CaseIterable {
        /// The motif as it was (a riff repeated, as in AAB blues phrasing).
        case repeated
        /// The motif a scale step or two higher or lower.
        case sequenced
        /// The motif moved with the harmony: by the interval between the call's chord and the answer's.
        case movedToChord
        /// The motif's intervals turned upside down (in the key's scale).
        case inverted
    }

    private var targets: [Target]
    private var velocities: [UInt8]
    public private(set) var start = 0
    public private(set) var count = 0
    public private(set) var development = Development.repeated
    /// The planned answer's register (mean of the planned pitches), for placing free notes.
    public private(set) var meanPitch = 66.0

    public init(capacity: Int = 512) {
        targets = [Target](repeating: .free, count: capacity)
        velocities = [UInt8](repeating: 90, count: capacity)
    }

    public var capacity: Int { targets.count }

    /// The target for slice `g` (free outside the plan).
    public func target(at g: Int) -> Target {
        guard g >= start, g < start + count else { return .free }
        return targets[g - start]
    }

    /// The velocity planned for slice `g` (the call's, varied), or nil outside the plan.
    public func velocity(at g: Int) -> UInt8? {
        guard g >= start, g < start + count else { return nil }
        return velocities[g - start]
    }

    public mutating func clear() { count = 0 }

    /// Plans the answer in slices `answer` from the call's melody notes (oldest first, in slices).
    /// `chordShift`: semitones from the call's first chord root to the answer's (0 if unknown).
    public mutating func build(call: UnsafeBufferPointer<Listener.HeardNote>, answer: Range<Int>, key: Key,
                               scaleMask: UInt16, chordShift: Int, slicesPerBar per: Int = 8,
                               using rng: inout SeededGenerator) {
        start = answer.lowerBound
        count = min(answer.count, targets.count)
        // Slices the call does not shape are played at the call's mean velocity.
        var mean = 0
        for i in 0..<call.count { mean += Int(call[i].velocity) }
        let meanVelocity = UInt8(clamping: call.isEmpty ? 90 : mean / call.count)
        for i in 0..<count { targets[i] = .free; velocities[i] = meanVelocity }
        guard call.count >= 2, count > 0 else { count = call.isEmpty ? 0 : count; return }
        let callStart = (call[0].startSlice / per) * per
        let lastEnd = call[call.count - 1].endSlice == Int.max ? call[call.count - 1].startSlice + 1 : call[call.count - 1].endSlice
        let callLength = max(per, ((lastEnd - callStart + per - 1) / per) * per)
        let scale = Diatonic(key: key, mask: scaleMask)

        // The motif: the first two thirds of the call's notes (at least two); the rest is the ending.
        let motif = max(2, (2 * call.count + 2) / 3)
        let choice = Int(rng.next() % 100)
        development = choice < 20 ? .repeated : choice < 50 ? .sequenced : choice < 90 ? .movedToChord : .inverted
        if development == .movedToChord && chordShift == 0 { development = .sequenced }
        var step = Int(rng.next() % 2) == 0 ? 1 : -1
        if rng.next() % 3 == 0 { step *= 2 }
        // The ending keeps the call's shape loosely: its notes as they were or a step away.
        let r = Int(rng.next() % 4)
        let endingStep = r < 2 ? 0 : r == 2 ? 1 : -1
        let shift = ((chordShift % 12) + 12) % 12
        let chromatic = shift > 6 ? shift - 12 : shift

        var sum = 0.0, planned = 0
        // The answer repeats the call's layout as often as it fits (an answer longer than its call).
        var offset = 0
        while offset < count {
            for i in 0..<call.count {
                let note = call[i]
                let at = offset + note.startSlice - callStart
                guard at >= 0, at < count else { continue }
                let end = note.endSlice == Int.max ? note.startSlice + 2 : note.endSlice
                let length = max(1, min(end - note.startSlice, (i + 1 < call.count ? call[i + 1].startSlice : end) - note.startSlice))
                let isLast = i == call.count - 1 || offset + call[i + 1].startSlice - callStart >= count
                var target = Target.lean(UInt8(clamping: scale.move(Int(note.pitch), bySteps: endingStep)))
                if i < motif {
                    let p: Int
                    switch development {
                    case .repeated: p = Int(note.pitch)
                    case .sequenced: p = scale.move(Int(note.pitch), bySteps: step)
                    case .movedToChord: p = Int(note.pitch) + chromatic
                    case .inverted: p = scale.mirror(Int(note.pitch), around: Int(call[0].pitch))
                    }
                    target = .attack(UInt8(clamping: max(0, min(127, p))))
                } else if isLast {
                    // The close: a call that ended away from the tonic (a question) is answered on
                    // the tonic; one that closed gets the third or fifth, so the exchange goes on.
                    let endedOnTonic = (Int(call[call.count - 1].pitch) - key.tonic) % 12 == 0
                    let degree = endedOnTonic ? (rng.next() % 2 == 0 ? (key.minor ? 3 : 4) : 7) : 0
                    target = .attack(UInt8(clamping: scale.nearest(pitchClass: (key.tonic + degree) % 12, to: Int(note.pitch))))
                }
                targets[at] = target
                let vary = Int(rng.next() % 13) - 6
                velocities[at] = UInt8(clamping: max(1, min(127, Int(note.velocity) + vary)))
                switch target {
                case .attack(let p), .lean(let p): sum += Double(p); planned += 1
                default: break
                }
                for h in 1..<length where at + h < count {
                    targets[at + h] = .hold
                    velocities[at + h] = velocities[at]
                }
                if at + length < count, i + 1 < call.count, call[i + 1].startSlice - note.startSlice > length {
                    targets[at + length] = .rest
                }
            }
            offset += callLength
        }
        meanPitch = planned > 0 ? sum / Double(planned) : call.indices.reduce(0.0) { $0 + Double(call[$1].pitch) } / Double(call.count)
    }
}

/// Steps along a key's scale (its pitch classes relative to the tonic in `mask`).
struct Diatonic {
    let key: Key
    let mask: UInt16

    func inScale(_ p: Int) -> Bool { mask & (1 << UInt16(((p - key.tonic) % 12 + 12) % 12)) != 0 }

    /// `p` moved by `steps` notes of the scale (a note outside the scale moves from its neighbour).
    func move(_ p: Int, bySteps steps: Int) -> Int {
        var q = p
        var left = abs(steps)
        let dir = steps > 0 ? 1 : -1
        var guardCount = 0
        while left > 0 && guardCount < 48 {
            q += dir
            guardCount += 1
            if inScale(q) { left -= 1 }
        }
        return q
    }

    /// `p` mirrored around `axis`, counted in scale steps.
    func mirror(_ p: Int, around axis: Int) -> Int {
        var steps = 0, q = axis
        let dir = p > axis ? 1 : -1
        var guardCount = 0
        while q != p && guardCount < 48 {
            q += dir
            guardCount += 1
            if inScale(q) || q == p { steps += 1 }
        }
        return move(axis, bySteps: -dir * steps)
    }

    /// The pitch of pitch class `pc` nearest to `p`.
    func nearest(pitchClass pc: Int, to p: Int) -> Int {
        let below = p - ((p - pc) % 12 + 12) % 12
        let q = p - below <= below + 12 - p ? below : below + 12
        return max(0, min(127, q))
    }
}
