import MusicCore

extension ImprovModel {
    /// The form the model was trained on, from its metadata; a file without one (every model
    /// before forms were data, the built-in Eck model) is the Eck corpus's blues.
    public var form: ChordForm {
        if let chart = training["form"], let form = try? ChordForm(chart: chart, name: training["form-name"] ?? "") { return form }
        return EckCorpus.form
    }

    /// The form a session plays: the preset's chart, else the model's. nil for `free` (the
    /// model's chord cells choose the chords).
    public func form(for choice: FormChoice) -> ChordForm? {
        switch choice {
        case .model: return form
        case .free: return nil
        case .chart(let chart): return chart
        }
    }
}
