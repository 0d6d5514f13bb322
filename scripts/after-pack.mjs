// electron-builder afterPack hook (electron-builder.yml `afterPack`): flips the Electron fuses of the
// packed app before it is signed. The policy lives in electron/main/fuses.ts, loaded through Node's
// type stripping (Node >= 22.18; npm scripts run the project's Node 22).
import { afterPackFuses } from '../electron/main/fuses.ts';

export default async function afterPack(context) {
  await afterPackFuses(context);
}
