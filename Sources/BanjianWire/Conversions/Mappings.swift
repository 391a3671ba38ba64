import BanjianDomain

/// The enum tables between domain and wire, one per enum; both directions use the same table.
enum Mappings {
    static let role = EnumMapping<Role, Banjian_V1_Role>([
        (.agent, .agent), (.acceptor, .acceptor), (.handler, .handler), (.departmentHead, .departmentHead),
        (.deputy, .deputy), (.director, .director), (.supervisor, .supervisor), (.auditor, .auditor), (.system, .system),
    ])
    static let level = EnumMapping<NodeLevel, Banjian_V1_NodeLevel>([
        (.village, .village), (.township, .township), (.county, .county), (.aboveCounty, .above),
    ])
    static let satisfaction = EnumMapping<Satisfaction, Banjian_V1_Satisfaction>([
        (.satisfied, .satisfied), (.basicallySatisfied, .basicallySatisfied), (.dissatisfied, .dissatisfied),
        (.notEvaluated, .notEvaluated),
    ])
    static let channel = EnumMapping<Channel, Banjian_V1_CaseChannel>([
        (.window, .window), (.agency, .agency), (.letter, .letter), (.phone, .phone), (.online, .online),
    ])
    static let kind = EnumMapping<CaseKind, Banjian_V1_CaseKind>([
        (.immediate, .immediate), (.promised, .promised), (.joint, .joint), (.supplement, .supplement),
        (.returned, .returned), (.escalated, .escalated),
    ])
    static let state = EnumMapping<CaseState.Name, Banjian_V1_CaseState>([
        (.agencyIntake, .agencyIntake), (.received, .received), (.supplementPending, .supplementPending),
        (.handling, .handling), (.completed, .completed), (.replied, .replied), (.handedOver, .handedOver),
        (.feedbackGiven, .feedbackGiven), (.closed, .closed), (.archived, .archived),
    ])
    static let route = EnumMapping<HandlingStage.Route, Banjian_V1_HandlingMode>([
        (.immediate, .immediate), (.promised, .promised), (.joint, .joint), (.forwardedUp, .forwardedUp),
    ])
    static let specialStep = EnumMapping<SpecialStep.Kind, Banjian_V1_SpecialStepKind>([
        (.hearing, .hearing), (.testing, .testing), (.appraisal, .appraisal), (.expertReview, .expertReview),
        (.siteSurvey, .siteSurvey), (.publicNotice, .publicNotice),
    ])
    static let materialStatus = EnumMapping<Material.Status, Banjian_V1_MaterialStatus>([
        (.provided, .provided), (.missing, .missing), (.suppliedLater, .suppliedLater),
    ])
    static let outcome = EnumMapping<Outcome, Banjian_V1_CaseOutcome>([
        (.approved, .approved), (.refused, .refused), (.done, .done),
    ])
    static let returnCategory = EnumMapping<ReturnCategory, Banjian_V1_ReturnCategory>([
        (.mainDocumentMissing, .mainDocumentMissing), (.policyViolation, .policyViolation),
        (.conditionsNotMet, .conditionsNotMet), (.controlledItem, .controlledItem), (.unlawful, .unlawful),
        (.secret, .secret), (.incompleteDocuments, .incompleteDocuments), (.wrongProcedure, .wrongProcedure),
        (.tooLateOrEarly, .tooLateOrEarly), (.other, .other),
    ])
    static let handOver = EnumMapping<HandOver.Method, Banjian_V1_HandoverMethod>([
        (.inPerson, .inPerson), (.post, .post), (.agent, .agent), (.online, .online),
    ])
    static let clock = EnumMapping<ClockKind, Banjian_V1_ClockKind>([
        (.promised, .promised), (.statutory, .statutory), (.forwarding, .forwarding),
        (.refusalReview, .refusalReview), (.refusalRecheck, .refusalRecheck), (.delivery, .delivery),
        (.petitionReply, .petitionReply), (.complaintReply, .complaintReply), (.supervisionOrder, .supervisionOrder),
        (.followUp, .followUp),
    ])
    static let measure = EnumMapping<DeadlineClock.Measure, Banjian_V1_ClockMeasure>([
        (.workingTime, .workingTime), (.elapsedTime, .elapsedTime),
    ])
    static let followUp = EnumMapping<FollowUpOutcome, Banjian_V1_FollowUpOutcome>([
        (.verified, .verified), (.unfounded, .unfounded),
    ])
    static let statisticsGrouping = EnumMapping<StatisticsGrouping, Banjian_V1_StatisticsGroupBy>([
        (.node, .node), (.window, .window), (.handler, .handler), (.matter, .matter), (.day, .day), (.week, .week),
        (.month, .month), (.quarter, .quarter), (.year, .year),
    ])
    static let assessmentSubject = EnumMapping<AssessmentSubjectKind, Banjian_V1_AssessmentSubjectKind>([
        (.window, .window), (.staff, .staff),
    ])
    static let grade = EnumMapping<AssessmentGrade, Banjian_V1_AssessmentGrade>([
        (.excellent, .excellent), (.qualified, .qualified), (.unqualified, .unqualified),
    ])
    static let rung = EnumMapping<RungKind, Banjian_V1_RungKind>([
        (.warning, .warning), (.due, .due), (.urge, .urge), (.supervise, .supervise), (.reportUp, .reportUp),
    ])
    static let notice = EnumMapping<Notice, Banjian_V1_NoticeKind>([
        (.receipt, .receipt), (.supplementNotice, .supplement), (.promisedAcceptance, .promisedAcceptance),
        (.jointNotice, .joint), (.escalationNotice, .escalation), (.returnNotice, .return), (.referral, .referral),
        (.extensionNotice, .extension), (.urgingSlip, .urgingSlip), (.cannotHandleNotice, .cannotHandle),
        (.resultReady, .resultReady),
    ])
    static let refusalReview = EnumMapping<RefusalEntry.ReviewState, Banjian_V1_RefusalReviewState>([
        (.pending, .pending), (.upheld, .upheld), (.overturned, .overturned),
    ])
    static let delegation = EnumMapping<Matter.Delegation.Mode, Banjian_V1_DelegationMode>([
        (.handle, .handle), (.fullAgency, .fullAgency), (.entrusted, .entrusted),
    ])
}
