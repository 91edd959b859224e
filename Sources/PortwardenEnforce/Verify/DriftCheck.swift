import PortwardenCore
import PortwardenPolicy

/// Compares the deployed `inet portwarden` table with the one generated from the policy: chains,
/// hooks and policies, rules in order (handles and counter values ignored) and set contents.
struct DriftCheck {
    let expected: GeneratedRuleset

    func findings(_ deployed: NftRuleset) -> [Finding] {
        let table = expected.table
        let name = "\(table.family) \(table.name)"
        guard let actual = deployed.table(family: table.family, name: table.name) else {
            return [
                drift(
                    "table", "Table \(name) is not loaded: the running ruleset is not the one generated from the policy"
                )
            ]
        }
        var findings: [Finding] = []
        for chain in table.chains {
            guard let running = actual.chain(chain.name) else {
                findings.append(
                    drift("\(name) \(chain.name)", "Chain \(name) \(chain.name) of the generated ruleset is missing"))
                continue
            }
            if running.binding != chain.binding {
                findings.append(
                    drift(
                        "\(name) \(chain.name) hook",
                        "Chain \(name) \(chain.name) is attached as \(describe(running.binding)), generated as \(describe(chain.binding))"
                    ))
            }
            findings += compareRules(chain, running, table: name)
        }
        for chain in actual.chains where table.chain(chain.name) == nil {
            findings.append(
                drift(
                    "\(name) \(chain.name)",
                    "Chain \(name) \(chain.name) (\(chain.rules.count) rules) is not in the generated ruleset"))
        }
        for set in table.sets {
            guard let running = actual.set(set.name) else {
                findings.append(
                    drift("\(name) @\(set.name)", "Set \(name) @\(set.name) of the generated ruleset is missing"))
                continue
            }
            if running.elements != set.elements || running.names != set.names || running.type != set.type {
                let have = NftText.elements(running.elements, field: setField(set)).joined(separator: ", ")
                let want = NftText.elements(set.elements, field: setField(set)).joined(separator: ", ")
                findings.append(
                    drift(
                        "\(name) @\(set.name)", "Set \(name) @\(set.name) holds { \(have) }, generated as { \(want) }"))
            }
        }
        for set in actual.sets where table.set(set.name) == nil {
            findings.append(drift("\(name) @\(set.name)", "Set \(name) @\(set.name) is not in the generated ruleset"))
        }
        return findings
    }

    func setField(_ set: NftSet) -> NftField {
        .address(set.type == AddressFamily.ipv6.setType ? .ipv6 : .ipv4, source: true)
    }

    func describe(_ binding: NftHookBinding?) -> String {
        guard let binding else { return "a regular chain" }
        return "type \(binding.type) hook \(binding.hook) priority \(binding.priority) policy \(binding.policy)"
    }

    /// Rules added by hand (with their handles) and generated rules that are missing, by a longest
    /// common subsequence of the rules' meanings (numbered first, common ends trimmed, so large
    /// chains compare integers).
    func compareRules(_ generated: NftChain, _ running: NftChain, table: String) -> [Finding] {
        var ids: [NftRule: Int] = [:]
        func number(_ rule: NftRule) -> Int {
            let meaning = rule.meaning
            if let known = ids[meaning] { return known }
            ids[meaning] = ids.count
            return ids.count - 1
        }
        let want = generated.rules.map(number)
        let have = running.rules.map(number)
        if want == have { return [] }
        var head = 0
        while head < want.count, head < have.count, want[head] == have[head] { head += 1 }
        var tail = 0
        while tail < want.count - head, tail < have.count - head,
            want[want.count - 1 - tail] == have[have.count - 1 - tail]
        {
            tail += 1
        }
        let a = Array(want[head..<(want.count - tail)])
        let b = Array(have[head..<(have.count - tail)])
        let n = a.count
        let m = b.count
        guard n * m <= 16_000_000 else {
            return [
                drift("\(table) \(running.name)", "Chain \(table) \(running.name) differs from the generated ruleset")
            ]
        }
        var lcs = [[Int32]](repeating: [Int32](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var findings: [Finding] = []
        var i = 0
        var j = 0
        while i < n || j < m {
            if i < n, j < m, a[i] == b[j] {
                i += 1
                j += 1
            } else if j < m, i == n || lcs[i][j + 1] >= lcs[i + 1][j] {
                let rule = running.rules[head + j]
                let handle = rule.handle.map(String.init) ?? "-"
                findings.append(
                    drift(
                        "\(table) \(running.name) handle \(handle)",
                        "Rule \(table) \(running.name) handle \(handle) is not in the generated ruleset: \(rule.text)"))
                j += 1
            } else {
                let rule = generated.rules[head + i]
                findings.append(
                    drift(
                        "\(table) \(running.name) missing \(rule.text)",
                        "Generated rule missing from \(table) \(running.name): \(rule.text)"))
                i += 1
            }
        }
        return findings
    }

    func drift(_ subject: String, _ message: String) -> Finding {
        Finding(
            rule: EvaluationRule.configDrift, severity: .high, requirements: ["1.2.1", "1.2.8"].map(Requirement.init),
            subject: subject, message: message,
            remediation:
                "Reload the approved ruleset (portwarden enforce apply FILE) or, if the change is wanted, make it in the policy and regenerate",
            evidence: [
                FindingEvidence(kind: "ruleset", summary: "generated for \(expected.target) from \(expected.marker)")
            ])
    }
}
