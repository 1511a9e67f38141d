import Documents
import Foundation
import Mail
import NightshiftCore
import Postgres

/// `approach-delivery` (every 15 minutes): every approach that is due is delivered for its
/// period (`ApproachPlan`), then each engineer's letter goes through the outbox — exactly once per
/// approach, period and engineer, the unsent ones of earlier runs included.
public struct ApproachDeliveryJob: Job {
    public struct Options: Sendable {
        public init() {}
    }

    public static let name = "approach-delivery"
    let mail: MailSettings

    public init(options: Options, config: ConfigValues, core: CoreSettings, clock: Clock) throws {
        mail = try MailSettings.load(config)
    }

    /// One engineer's letter of one delivery.
    struct Letter {
        let deliveryID: Int
        let engineerID: Int
        let email: String
        let values: [String: Any]
        let subjectTemplate: String
        let bodyTemplate: String
    }

    static let planStep = ItemStep<ApproachPlan.Due>(
        name: "deliver", failureMessage: "approach not delivered", keys: { ["approach:\($0.id)"] },
        label: { "approach \($0.id) (\($0.name))" }, fields: { ["approach_id": .int($0.id)] })
    static let mailStep = ItemStep<Letter>(
        name: "mail", failureMessage: "approach not mailed", keys: { ["approach:\($0.deliveryID):\($0.engineerID)"] },
        label: { "approach delivery \($0.deliveryID) to engineer \($0.engineerID)" }, isRepeatable: false)

    public func run(_ context: JobContext) throws -> JobSummary {
        let plan = ApproachPlan(db: context.db, now: context.clock.now)
        let due = try context.unitOfWork("due approaches") { try plan.due() }
        if context.isDryRun { return try rehearse(due, plan: plan, context: context) }
        var summary = JobSummary()
        var engineers = 0
        try context.run(Self.planStep, due, into: &summary) { approach in
            try Self.checkTemplates(approach)
            engineers += try plan.deliver(approach, runID: context.runID!).engineers
        }
        let letters = try context.unitOfWork("unsent approach letters") { try unsent(context) }
        let outbox = Outbox(db: context.db, settings: mail, logger: context.logger)
        let (sent, _) = try outbox.send(letters, step: Self.mailStep, context: context, into: &summary, letter: { letter in
            Outbox.Letter(about: "approach:\(letter.deliveryID):\(letter.engineerID)", recipient: letter.email,
                          messageID: "approach.\(letter.deliveryID).\(letter.engineerID)@\(mail.from.domain)")
        }, compose: { letter, posted, recipient in
            MailMessage(from: mail.from, to: [recipient], subject: try TextTemplates.render(text: letter.subjectTemplate, letter.values),
                        body: try TextTemplates.render(text: letter.bodyTemplate, letter.values) + "\n", messageID: posted.messageID,
                        date: context.clock.now).rendered(timeZone: context.settings.timeZone)
        })
        summary.metadata["approaches"] = .int(due.count)
        summary.metadata["engineers"] = .int(engineers)
        summary.message = "\(due.count) approach(es) due, \(sent) letter(s) sent"
        return summary
    }

    /// A template that does not parse fails its approach before anything is recorded.
    static func checkTemplates(_ approach: ApproachPlan.Due) throws {
        for text in [approach.subjectTemplate, approach.bodyTemplate] {
            _ = try TextTemplates.render(text: text, ["engineer_name": "", "company_name": "", "approach_name": ""])
        }
    }

    /// The letters of the last 35 days' deliveries that the outbox has not sent.
    func unsent(_ context: JobContext) throws -> [Letter] {
        try context.db.query("""
            SELECT d.id AS delivery_id, e.id AS engineer_id, e.email, e.name AS engineer_name, c.name AS company_name,
                   a.name AS approach_name, a.subject_template, a.body_template
              FROM approach_delivery d
              JOIN approach a ON a.id = d.approach_id
              JOIN company c ON c.id = a.company_id
             CROSS JOIN LATERAL unnest(d.engineers) AS x(engineer_id)
              JOIN engineer e ON e.id = x.engineer_id
              LEFT JOIN mail_outbox m ON m.about = 'approach:' || d.id || ':' || e.id
             WHERE d.created_at > $1::timestamptz - interval '35 days' AND \(Outbox.unsent("m"))
             ORDER BY d.id, e.id
            """, [context.clock.now]).rows.map {
            Letter(deliveryID: try $0.int("delivery_id"), engineerID: try $0.int("engineer_id"), email: try $0.string("email"),
                   values: ["engineer_name": try $0.string("engineer_name"), "company_name": try $0.string("company_name"),
                            "approach_name": try $0.string("approach_name")],
                   subjectTemplate: try $0.string("subject_template"), bodyTemplate: try $0.string("body_template"))
        }
    }

    func rehearse(_ due: [ApproachPlan.Due], plan: ApproachPlan, context: JobContext) throws -> JobSummary {
        let zone = context.settings.timeZone
        for approach in due {
            let (period, engineers, next) = try plan.rehearse(approach)
            context.report("approach \(approach.id)\t\(approach.name)\tperiod \(LocalTime.isoTimestamp(period, in: zone))\t"
                           + "\(engineers) engineer(s)\tnext \(LocalTime.isoTimestamp(next, in: zone))")
        }
        return JobSummary(itemsOK: due.count, message: "\(due.count) approach(es) due")
    }
}
