import type { FeedbackRating } from '../../../../force-app/main/default/lwc/coworkerContract/coworkerContract';
import {
    asUser,
    AuraHandledError,
    optionalInteger,
    optionalString,
    requiredId,
    type ApexContext,
    type ApexParams
} from './support';

// FeedbackController.saveFeedback: thumbs up/down on a reply, private to the user who gave it.

const RATINGS: readonly FeedbackRating[] = ['Up', 'Down'];

/** `saveFeedback({ taskId, messageIndex, rating, comment })` → the feedback's id. */
export function saveFeedback(params: ApexParams, context: ApexContext): string {
    const taskId = requiredId(params, 'taskId', 'The task');
    const messageIndex = optionalInteger(params, 'messageIndex', 0, 100_000, 'The message index');
    if (messageIndex === null) throw new AuraHandledError('The message index is required.');
    if (!RATINGS.includes(params.rating as FeedbackRating)) {
        throw new AuraHandledError('The rating must be Up or Down.');
    }
    const comment = optionalString(params, 'comment', 4_000, 'The comment');
    return asUser(
        () =>
            context.store.create(context.user, 'Resident_Feedback__c', {
                Task__c: taskId,
                Message_Index__c: messageIndex,
                Rating__c: params.rating,
                Comment__c: comment
            }),
        {
            notFound: 'This task does not exist, or you do not have access to it.',
            noAccess: 'You do not have permission to rate replies.'
        }
    );
}
