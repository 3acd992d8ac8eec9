/**
 * The activity log's trigger, each job in its own class. Before insert: entries of the kinds only
 * Resident's Apex writes are refused unless it writes them. After insert: an Undo entry marks the
 * entry it reversed; a Model call entry adds its tokens to its task.
 */
trigger ResidentActivityTrigger on Resident_Activity__c(before insert, after insert) {
    if (Trigger.isBefore) {
        ActivityKindGuard.refuseForgedKinds(Trigger.new);
    } else {
        ActivityUndoStamper.stamp(Trigger.new);
        TaskModelUsageRecorder.record(Trigger.new);
    }
}
