import { currentSession } from './session';

/** `@salesforce/user/Id`: the id of the user the workbench page runs as. */
const userId: string = currentSession().userId;
export default userId;
