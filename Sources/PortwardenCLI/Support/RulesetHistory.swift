import PortwardenCore
import PortwardenEnforce
import PortwardenStore

/// The ruleset loads of `enforce history`: each with the target its ruleset was generated for and the
/// segmentation tests recorded after it, as text or JSON lines.
enum RulesetHistory {
    struct Load {
        var entry: RulesetLoadEntry
        /// From the marker comment in the recorded diff, or the load whose file this one replaced.
        var target: EnforcementTarget?
        /// The zones a segmentation test was recorded from after the load.
        var testedSince: [String]
    }

    /// Names each load's target: the marker in the diff's new side (the whole file on a first load), else the
    /// target of the load that applied the file this one replaced (its diff left the marker out, unchanged).
    static func loads(_ entries: [RulesetLoadEntry], tests: [StoredSegmentationTest]) -> [Load] {
        var targetOfFile: [String: EnforcementTarget] = [:]
        return entries.map { entry in
            let load = entry.load
            let target =
                GeneratedMarker.find(inText: load.diff)?.target ?? load.previousSHA256.flatMap { targetOfFile[$0] }
            if let target, load.outcome == RulesetLoadInput.Outcome.applied.rawValue {
                targetOfFile[load.newSHA256] = target
            }
            var tested: [String] = []
            for test in tests where test.finished > load.time && !tested.contains(test.vantage) {
                tested.append(test.vantage)
            }
            return Load(entry: entry, target: target, testedSince: tested)
        }
    }

    static func text(_ item: Load, diff showDiff: Bool) -> String {
        let load = item.entry.load
        var lines = [
            "ruleset load \(load.id) at \(StoreClock.text(load.time)) by \(load.operatorName): \(load.outcome)",
            "  target:       \(item.target?.description ?? "unknown (no portwarden marker in the recorded diff)")",
            "  file:         \(load.file)",
            "  ruleset:      sha256:\(load.newSHA256) (\(load.diffSummary))",
            "  previous:     \(load.previousSHA256.map { "sha256:\($0)" } ?? "none recorded (first load)")",
            "  backup:       \(load.backup ?? "none")",
        ]
        if let detail = load.detail { lines.append("  detail:       \(detail)") }
        if let change = item.entry.change {
            lines += [
                "  change:       \(given(change.changeID)) (record \(change.id), recorded by \(change.recordedBy))",
                "    reason:          \(given(change.reason))",
                "    description:     \(change.description)",
                "    security impact: \(given(change.securityImpact))",
                "    approved by:     \(given(change.approvedBy))",
                "    test evidence:   \(given(change.testEvidence))",
                "    back-out:        \(given(change.backOut))",
            ]
        } else {
            lines.append("  change:       no change record found for this load (run log verify)")
        }
        lines.append("  segmentation: " + segmentation(item))
        var text = lines.joined(separator: "\n") + "\n"
        if showDiff, !load.diff.isEmpty { text += load.diff.hasSuffix("\n") ? load.diff : load.diff + "\n" }
        return text
    }

    static func segmentation(_ item: Load) -> String {
        guard item.entry.load.segmentationChange else {
            return item.entry.load.outcome == RulesetLoadInput.Outcome.applied.rawValue
                ? "no change (the same file as the last one applied)"
                : "no change (the running ruleset stayed as it was)"
        }
        let tested =
            item.testedSince.isEmpty
            ? "no segmentation test recorded since"
            : "tested since from \(item.testedSince.joined(separator: ", "))"
        return "changed a segmentation control: the next segmentation test from every zone was due at once; \(tested)"
    }

    private static func given(_ text: String) -> String { text.isEmpty ? "(not given)" : text }

    /// One JSON object: the load's columns, its target, its change record and the segmentation facts.
    static func json(_ item: Load) -> String {
        let load = item.entry.load
        var out = "{"
        field("id", &out, number: load.id)
        field("time", &out, StoreClock.text(load.time))
        field("operator", &out, load.operatorName)
        field("target", &out, item.target?.description)
        field("file", &out, load.file)
        field("sha256", &out, load.newSHA256)
        field("previous_sha256", &out, load.previousSHA256)
        field("diff_summary", &out, load.diffSummary)
        field("outcome", &out, load.outcome)
        field("detail", &out, load.detail)
        field("backup", &out, load.backup)
        out += ",\"segmentation_change\":\(load.segmentationChange)"
        out += ",\"segmentation_tested_since\":["
        out += item.testedSince.map { zone in
            var quoted = ""
            JSONString.append(zone, to: &quoted)
            return quoted
        }.joined(separator: ",")
        out += "],\"change\":"
        if let change = item.entry.change {
            out += "{"
            field("record", &out, number: change.id)
            field("change_id", &out, change.changeID)
            field("reason", &out, change.reason)
            field("description", &out, change.description)
            field("security_impact", &out, change.securityImpact)
            field("approved_by", &out, change.approvedBy)
            field("test_evidence", &out, change.testEvidence)
            field("back_out", &out, change.backOut)
            field("recorded_by", &out, change.recordedBy)
            out += "}"
        } else {
            out += "null"
        }
        return out + "}"
    }

    private static func field(_ key: String, _ out: inout String, _ value: String?) {
        if out.last != "{" { out += "," }
        JSONString.append(key, to: &out)
        out += ":"
        if let value { JSONString.append(value, to: &out) } else { out += "null" }
    }

    private static func field(_ key: String, _ out: inout String, number: Int64) {
        if out.last != "{" { out += "," }
        JSONString.append(key, to: &out)
        out += ":\(number)"
    }
}
