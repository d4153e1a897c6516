// The training images of SageMaker's built-in algorithms, by region (AWS's "Docker Registry Paths"
// for SageMaker, as the SageMaker Python SDK's image_uri_config lists them).
//
// XGBoost: the official hub trained with the first-generation `xgboost:1` image, which AWS has
// deprecated (its XGBoost 0.72 is no longer maintained). Here it is the SageMaker-managed
// `sagemaker-xgboost:1.7-1` (XGBoost 1.7), the current version AWS supports for this container.
// Linear Learner: `linear-learner:1` is still the current tag of that built-in algorithm.
import { UserError } from "../../lib/errors";

export const XGBOOST_VERSION = "1.7-1";

/** Accounts of the `sagemaker-xgboost` repository (XGBoost 0.90-1 and later). */
const XGBOOST_ACCOUNTS: Record<string, string> = {
  "af-south-1": "510948584623", "ap-east-1": "651117190479", "ap-northeast-1": "354813040037",
  "ap-northeast-2": "366743142698", "ap-northeast-3": "867004704886", "ap-south-1": "720646828776",
  "ap-south-2": "628508329040", "ap-southeast-1": "121021644041", "ap-southeast-2": "783357654285",
  "ap-southeast-3": "951798379941", "ap-southeast-4": "106583098589", "ca-central-1": "341280168497",
  "ca-west-1": "190319476487", "eu-central-1": "492215442770", "eu-central-2": "680994064768",
  "eu-north-1": "662702820516", "eu-south-1": "978288397137", "eu-south-2": "104374241257",
  "eu-west-1": "141502667606", "eu-west-2": "764974769150", "eu-west-3": "659782779980",
  "il-central-1": "898809789911", "me-central-1": "272398656194", "me-south-1": "801668240914",
  "sa-east-1": "737474898029", "us-east-1": "683313688378", "us-east-2": "257758044811",
  "us-gov-east-1": "237065988967", "us-gov-west-1": "414596584902", "us-west-1": "746614075791",
  "us-west-2": "246618743249",
};

/** Accounts of the `linear-learner` repository (version 1). */
const LINEAR_LEARNER_ACCOUNTS: Record<string, string> = {
  "af-south-1": "455444449433", "ap-east-1": "286214385809", "ap-northeast-1": "351501993468",
  "ap-northeast-2": "835164637446", "ap-northeast-3": "364406365360", "ap-south-1": "991648021394",
  "ap-southeast-1": "475088953585", "ap-southeast-2": "712309505854", "ca-central-1": "469771592824",
  "eu-central-1": "664544806723", "eu-north-1": "669576153137", "eu-south-1": "257386234256",
  "eu-west-1": "438346466558", "eu-west-2": "644912444149", "eu-west-3": "749696950732",
  "me-south-1": "249704162688", "sa-east-1": "855470959533", "us-east-1": "382416733822",
  "us-east-2": "404615174143", "us-gov-west-1": "226302683700", "us-west-1": "632365934929",
  "us-west-2": "174872318107",
};

function image(accounts: Record<string, string>, repository: string, region: string, algorithm: string): string {
  const account = accounts[region];
  if (!account) {
    throw new UserError(`SageMaker's ${algorithm} algorithm is not offered in the bucket's region ${region}. ` +
      `Choose a bucket in one of: ${Object.keys(accounts).sort().join(", ")}.`);
  }
  return `${account}.dkr.ecr.${region}.amazonaws.com/${repository}`;
}

export function xgboostImage(region: string): string {
  return image(XGBOOST_ACCOUNTS, `sagemaker-xgboost:${XGBOOST_VERSION}`, region, "XGBoost");
}

export function linearLearnerImage(region: string): string {
  return image(LINEAR_LEARNER_ACCOUNTS, "linear-learner:1", region, "Linear Learner");
}
