import { SalesforceError, type SalesforceSession } from './salesforceApi';

/**
 * Salesforce's `emailSimple` action sends no attachments, so a scheduled report's email carries a
 * link to its File in Salesforce, and every internal recipient must be able to open that File with
 * their own login. In shared mode the File belongs to the schedule's owner (linked to the schedule,
 * which is private to them): this shares it with each recipient user by one ContentDocumentLink
 * (viewer access), created as the owner, as the owner could do in Files themselves. Never a public
 * link (ContentDistribution): a report must stay behind the org's login and sharing.
 */

/** Whom the File was shared with, and who could not get it (ids only: steps never hold names). */
export interface FileAccessResult {
    shared: number;
    failed: { userId: string; reason: string }[];
}

/** The line the email gives for opening the File (the org's own Lightning URL). */
export function fileLink(instanceUrl: string, contentDocumentId: string): string {
    return `${instanceUrl}/lightning/r/ContentDocument/${contentDocumentId}/view`;
}

export async function shareFileWithRecipients(
    owner: SalesforceSession,
    contentDocumentId: string,
    recipientUserIds: string[]
): Promise<FileAccessResult> {
    const result: FileAccessResult = { shared: 0, failed: [] };
    // The owner has the File already; each other user once.
    const others = [...new Set(recipientUserIds)].filter((id) => id !== owner.userId);
    for (const userId of others) {
        try {
            await owner.request('POST', 'sobjects/ContentDocumentLink', {
                body: {
                    ContentDocumentId: contentDocumentId,
                    LinkedEntityId: userId,
                    ShareType: 'V',
                    Visibility: 'InternalUsers'
                },
                what: 'share file'
            });
            result.shared += 1;
        } catch (error) {
            // A retried run may find the link there already: the recipient has the File.
            if (error instanceof SalesforceError && error.errorCode === 'DUPLICATE_VALUE') {
                result.shared += 1;
                continue;
            }
            result.failed.push({
                userId,
                reason:
                    error instanceof SalesforceError
                        ? `${error.errorCode}: ${error.message}`
                        : 'unexpected error'
            });
        }
    }
    return result;
}
