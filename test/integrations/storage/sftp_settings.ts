// SFTP as the suite-wide tests run it (test/helpers/suite_settings.ts): the suite's OpenSSH sshd,
// its host key pinned.
import { sharedSshd } from "../../fakes/sshd";
import { SuiteSettings } from "../../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["sftp"],
  async lookerShapes() {
    const sshd = await sharedSshd();
    return {
      deliveries: { sftp: { data: { sftp_private_key: sshd.clientKey, sftp_host_key_fingerprint: sshd.hostFingerprint },
        form: { address: `sftp://127.0.0.1:${sshd.port}${sshd.root}/`, username: sshd.user, filename: "shapes" } } },
    };
  },
};
