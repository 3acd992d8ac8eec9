// Types for the modules the Salesforce platform provides to components at run time. The platform
// resolves them; jest maps them to stubs; the workbench aliases them to the stand-in org.

declare module '@salesforce/apex/*' {
    const apexMethod: (params?: Record<string, unknown>) => Promise<unknown>;
    export default apexMethod;
}

declare module '@salesforce/label/*' {
    const label: string;
    export default label;
}

declare module '@salesforce/schema/*' {
    const field: { objectApiName: string; fieldApiName?: string };
    export default field;
}

declare module '@salesforce/user/Id' {
    const userId: string;
    export default userId;
}

// The user's locale settings (`locale`, `timeZone`, `currency`, `lang`, `dir`...), as strings.
declare module '@salesforce/i18n/*' {
    const value: string;
    export default value;
}

// `true` when the running user holds the custom permission; `undefined` when not.
declare module '@salesforce/customPermission/*' {
    const hasPermission: boolean | undefined;
    export default hasPermission;
}
