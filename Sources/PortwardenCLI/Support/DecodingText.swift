import Foundation

/// A `DecodingError` (from the JSON files the CLI reads with Foundation: inventory snapshots and
/// drift state) as a sentence in the user's words: the field path and what was wrong, never
/// Swift's coding keys.
enum DecodingText {
    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "\(place(context.codingPath))the field \"\(key.stringValue)\" is missing"
        case .typeMismatch(let type, let context):
            return "\(place(context.codingPath))expected \(noun(type))"
        case .valueNotFound(let type, let context):
            return "\(place(context.codingPath))expected \(noun(type)), found null"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "not valid JSON" }
            return "\(place(context.codingPath))the value is not valid here"
        @unknown default:
            return "not the expected JSON"
        }
    }

    /// `at listeners[0].port: ` for a coding path, empty for the document itself.
    private static func place(_ path: [any CodingKey]) -> String {
        guard !path.isEmpty else { return "" }
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return "at \(text): "
    }

    private static func noun(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Int.Type, is Int32.Type, is Int64.Type, is UInt16.Type, is UInt32.Type, is UInt64.Type, is UInt8.Type:
            return "a whole number"
        case is Double.Type, is Float.Type: return "a number"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "a list" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "a value of another kind"
        }
    }
}
