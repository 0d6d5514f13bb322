// The sampling parameters' validity is the contract's (shared/api/chat.ts ChatParams): Send is enabled
// exactly when the engine would accept them, field by field and as a whole.
import { ChatParams } from '../../../shared/api/chat.js';

export type Params = { temperature: number; maxTokens: number; topP: number };

/** One parameter's value is one the engine accepts (an emptied field is NaN: not). */
export const paramValid = (key: keyof Params, value: number): boolean => ChatParams.shape[key].safeParse(value).success;

export const paramsValid = (params: Params): boolean => ChatParams.safeParse(params).success;
