/// The forms improv ships, all in C (a session moves them to its key). `session.form` names
/// one of them, or gives a chart of its own.
extension ChordForm {
    private static func shippedChart(_ name: String, _ chart: String) -> ChordForm {
        // The charts below are ours and tested (ShippedFormsTests); a typo is a programming error.
        do { return try ChordForm(chart: chart, name: name) } catch { fatalError("shipped form \(name): \(error)") }
    }

    /// The bebop-flavoured 12-bar blues of the Eck corpus, one chord a bar with a ii-V in
    /// bars 9-10 and a turnaround to V in bar 12 (the paper's Figure 2 is not in our copy).
    public static let eckBlues = shippedChart("eck-blues", "C7 | F7 | C7 | C7 | F7 | F7 | C7 | C7 | Dm7 | G7 | C7 | G7 |")

    /// The plain 12-bar blues: I-IV-I, IV-I, V-IV-I-V.
    public static let basicBlues = shippedChart("blues", "C7 | F7 | C7 | C7 | F7 | F7 | C7 | C7 | G7 | F7 | C7 | G7 |")

    /// The minor blues: i-iv-i, iv-i, bVI7-V7-i-V7.
    public static let minorBlues = shippedChart("minor-blues", "Cm7 | Fm7 | Cm7 | Cm7 | Fm7 | Fm7 | Cm7 | Cm7 | Ab7 | G7 | Cm7 | G7 |")

    /// The 8-bar blues of "Key to the Highway": I-V-IV-IV, I-V-I IV-I V.
    public static let eightBarBlues = shippedChart("8-bar-blues", "C7 | G7 | F7 | F7 | C7 | G7 | C7 F7 | C7 G7 |")

    /// The jazz blues: a quick IV, the ii-V into IV, the diminished passing chord, VI7 into
    /// the ii-V, a I-VI turnaround.
    public static let jazzBlues = shippedChart("jazz-blues", "C7 | F7 | C7 | Gm7 C7 | F7 | F#dim7 | C7 | A7 | Dm7 | G7 | C7 A7 | Dm7 G7 |")

    /// Rhythm changes, 32 bars AABA: I-vi-ii-V in the A sections, a bridge of dominants
    /// round the cycle (III7 VI7 II7 V7), two bars each.
    public static let rhythmChanges = shippedChart("rhythm-changes", """
        C6 A7 | Dm7 G7 | C6 A7 | Dm7 G7 | Gm7 C7 | F7 Fm6 | C6 A7 | Dm7 G7 |
        C6 A7 | Dm7 G7 | C6 A7 | Dm7 G7 | Gm7 C7 | F7 Fm6 | C6 G7 | C6 |
        E7 | % | A7 | % | D7 | % | G7 | % |
        C6 A7 | Dm7 G7 | C6 A7 | Dm7 G7 | Gm7 C7 | F7 Fm6 | C6 G7 | C6 |
        """)

    /// A 16-bar folk form in 4/4, two 8-bar halves: the first ends on V, the second home.
    public static let folk16 = shippedChart("folk-16", """
        C | F | C | G | C | F | C G | C | F | C | F | G | C | Am | Dm G | C |
        """)

    /// A 16-bar waltz in 3/4, the same plan as folk-16 with a relative-minor colour.
    public static let folkWaltz = shippedChart("folk-waltz", """
        3/4 C | C | F | C | C | Am | D7 | G7 | C | C | F | C | Am | Dm G7 | G7 | C |
        """)

    /// A 16-bar jig in 6/8, two 8-bar strains, each ending home.
    public static let jig = shippedChart("jig", """
        6/8 C | F | C | G | C | F | G | C | Am | Em | F | C | F | C | G7 | C |
        """)

    /// A 12-bar slow blues in 12/8.
    public static let slowBlues = shippedChart("slow-blues", "12/8 C7 | F7 | C7 | C7 | F7 | F7 | C7 | C7 | G7 | F7 | C7 | G7 |")

    public static let shipped: [ChordForm] = [
        eckBlues, basicBlues, minorBlues, eightBarBlues, jazzBlues, rhythmChanges, folk16, folkWaltz, jig, slowBlues,
    ]
}
