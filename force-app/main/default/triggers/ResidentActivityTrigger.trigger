/**
 * The activity log's after-insert work, each job in its own class: an Undo entry marks the entry
 * it reversed; a Model call entry adds its tokens to its task.
 */
trigger ResidentActivityTrigger on Resident_Activity__c(after insert) {
    ActivityUndoStamper.stamp(Trigger.new);
    TaskModelUsageRecorder.record(Trigger.new);
}
