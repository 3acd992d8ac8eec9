import { importPKCS8 } from 'jose';
import { z } from 'zod';

/**
 * One org enrolled for scheduled reports, from the `SCHEDULER_ORGS` var (deployment config, not a
 * secret: the connected app's consumer key is public, the private key is the secret).
 */
export interface EnrolledOrg {
    orgId: string;
    /** Where the JWT bearer flow signs in: https://login.salesforce.com, test.salesforce.com or My Domain. */
    loginUrl: string;
    /** The connected app's consumer key (the JWT's `iss`). */
    consumerKey: string;
    /** The integration user that finds and claims due schedules. */
    schedulerUsername: string;
    /** The org admin's choice: may schedules email addresses outside the org (default no). */
    allowExternalRecipients: boolean;
}

const enrolledOrgSchema = z
    .object({
        orgId: z.string().regex(/^00D[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?$/, 'an org id (00D…)'),
        loginUrl: z
            .string()
            .url()
            .refine((url) => /^https:\/\//.test(url) || /^http:\/\/127\.0\.0\.1[:/]/.test(url), {
                message: 'https (http only for a local stand-in on 127.0.0.1)'
            }),
        consumerKey: z.string().min(1).max(256),
        schedulerUsername: z.string().min(3).max(80),
        allowExternalRecipients: z.boolean().default(false)
    })
    .strict();

/** The enrolled orgs; a malformed variable is a deployment error, reported without its value. */
export function parseEnrolledOrgs(text: string | undefined): EnrolledOrg[] {
    if (!text || text.trim() === '') return [];
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch {
        throw new Error('SCHEDULER_ORGS is not valid JSON.');
    }
    const parsed = z.array(enrolledOrgSchema).safeParse(json);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(
            `SCHEDULER_ORGS is not a list of enrolled orgs: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim()
        );
    }
    return parsed.data.map((org) => ({ ...org, loginUrl: org.loginUrl.replace(/\/+$/, '') }));
}

/** The scheduler's RS256 private key (PKCS#8 PEM), imported once per tick and never exported. */
export async function importSchedulerKey(pem: string | undefined): Promise<CryptoKey> {
    if (!pem || !pem.includes('PRIVATE KEY')) {
        throw new Error('SCHEDULER_PRIVATE_KEY is not set to a PKCS#8 PEM private key.');
    }
    try {
        return await importPKCS8(pem.replace(/\\n/g, '\n'), 'RS256');
    } catch {
        throw new Error('SCHEDULER_PRIVATE_KEY could not be read as an RS256 PKCS#8 key.');
    }
}
