/// What a rule does with a packet that matches it.
public indirect enum NftVerdict: Hashable, Sendable {
    case accept
    case drop
    case reject
    case jump(String)
    case goto(String)
    case `return`
    case `continue`
    /// Handed to user space (`queue`): the analysis cannot know the outcome.
    case queue
    /// A verdict map keyed by a field: the entries' values and verdicts.
    case map(key: NftField, entries: [NftMapEntry])
    /// A verdict map stored in a named map of the table.
    case mapReference(key: NftField, name: String)

    /// Whether the verdict ends the packet's walk through the hook (accept ends only this base chain).
    public var isTerminal: Bool {
        switch self {
        case .accept, .drop, .reject, .queue: return true
        default: return false
        }
    }
}

/// One entry of a verdict map: packets whose key is in `value` get `verdict`.
public struct NftMapEntry: Hashable, Sendable {
    public var value: NftValue
    public var verdict: NftVerdict

    public init(value: NftValue, verdict: NftVerdict) {
        self.value = value
        self.verdict = verdict
    }
}
