extension ChordForm {
    /// One pass of the form's chords as slices: voiced in the encoding's chord range, struck
    /// where each chord starts, the melody at rest. Slice `s` of a session over this form at
    /// position `p` takes the chord of slice `p` here.
    public func chordSlices(encoding: SliceEncoding) -> [Slice] {
        (0..<sliceCount).map { s in
            Slice(chord: chord(atSlice: s).voicing(in: encoding.chordRange), chordOnset: chordStarts(atSlice: s), melody: .rest)
        }
    }
}
