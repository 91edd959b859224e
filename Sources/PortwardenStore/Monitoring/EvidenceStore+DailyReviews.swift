import Foundation

extension EvidenceStore {
    /// Records that `review.reviewer` acknowledged the summary of `review.day`; a day is acknowledged once.
    /// - Throws: a lifecycle error when the day already is, or the reviewer is empty.
    public func acknowledgeDailyReview(_ review: DailyReview) throws {
        guard !review.reviewer.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw StoreError(.lifecycle, "a daily review is acknowledged by someone (--by)")
        }
        try write(at: review.acknowledged) { writer in
            if let row = try writer.rows(StoreSchema.dailyReviews, where: "day = ?", [.text(review.day)]).first,
                let earlier = DailyReview(row: row)
            {
                throw StoreError(
                    .lifecycle,
                    "the review of \(review.day) was acknowledged by \(earlier.reviewer) at "
                        + "\(StoreClock.text(earlier.acknowledged))")
            }
            try writer.insert(
                StoreSchema.dailyReviews,
                [
                    .text(review.day), .text(review.reviewer), .integer(review.acknowledged), .optional(review.note),
                    .integer(review.alerts), .text(review.summarySHA256),
                ])
        }
    }

    /// The acknowledgement of `day` (`YYYY-MM-DD`), if any.
    public func dailyReview(day: String) throws -> DailyReview? {
        try read { session in
            try session.query(
                "SELECT \(StoreSchema.dailyReviews.selectList) FROM daily_reviews WHERE day = ?", [.text(day)]
            ).first.flatMap(DailyReview.init(row:))
        }
    }
}
