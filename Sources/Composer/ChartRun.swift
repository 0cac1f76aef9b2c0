import MusicCore

extension SlicePredictor {
    /// Free running over a chart, the way a lead sheet separates chords from melody: after
    /// `prime`, the chart's chords (from form slice `prime.count` on, wrapping round the form)
    /// are the chord part and the model's sampled melody plays over them, each slice fed back.
    /// Without a form, the model's own chord cells choose the chords (`freeRun`).
    public mutating func run(over form: ChordForm?, prime: [Slice], count: Int, encoding: SliceEncoding,
                             using rng: inout SeededGenerator) -> [Slice] {
        guard let form else { return freeRun(prime: prime, count: count, using: &rng) }
        let chords = form.chordSlices(encoding: encoding)
        reset()
        var out = prime
        out.reserveCapacity(prime.count + count)
        for s in prime { observe(s) }
        for i in 0..<count {
            var next = sampleNext(using: &rng)
            let c = chords[(prime.count + i) % chords.count]
            next.chord = c.chord
            next.chordOnset = c.chordOnset
            out.append(next)
            observe(next)
        }
        return out
    }
}
