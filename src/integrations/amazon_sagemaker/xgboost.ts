// amazon_sagemaker_train_xgboost: SageMaker's XGBoost on a Look's results (the first column is
// the label), the official hub's name, params and form; on the current XGBoost image.
import { FormField } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { UserError } from "../../lib/errors";
import { xgboostImage } from "./algorithm_images";
import { numberField, requiredValue } from "./sagemaker_form";
import { Algorithm } from "./sagemaker_train";

const OBJECTIVE: FormField = {
  type: "select", label: "Objective", name: "objective", required: true, default: "binary:logistic",
  options: ["binary:logistic", "reg:linear", "multi:softmax"].map((o) => ({ name: o, label: o })),
  description: "The type of classification to be performed.",
};
const NUM_CLASS: FormField = {
  type: "string", label: "Number of classes", name: "numClass", default: "3",
  description: "The number of classifications. Valid values: 3 to 1000000. Required if objective is multi:softmax. " +
    "Otherwise ignored.",
};
const NUM_ROUNDS: FormField = {
  type: "string", label: "Number of rounds", name: "numRounds", default: "100",
  description: "The number of rounds to run. Valid values: 1 to 1000000.",
};

/** XGBoost 1.x calls the official hub's `reg:linear` by its current name; the meaning is the same. */
const OBJECTIVE_NAMES: Record<string, string> = {
  "binary:logistic": "binary:logistic", "reg:linear": "reg:squarederror", "multi:softmax": "multi:softmax",
};

export const XGBOOST: Algorithm = {
  name: "XGBoost",
  image: xgboostImage,
  fields: [OBJECTIVE, NUM_CLASS],
  roundsField: NUM_ROUNDS,
  check(request: ActionRequest) { this.hyperParameters(request, 0); },
  hyperParameters(request: ActionRequest) {
    const objective = requiredValue(request, OBJECTIVE);
    if (!OBJECTIVE_NAMES[objective]) {
      throw new UserError(`Objective must be one of ${Object.keys(OBJECTIVE_NAMES).join(", ")}.`,
        { objective: "Choose an objective." });
    }
    const params: Record<string, string> = { objective: OBJECTIVE_NAMES[objective],
      num_round: String(numberField(request, NUM_ROUNDS, 1, 1_000_000)) };
    // num_class is allowed only with multi:softmax.
    if (objective === "multi:softmax") { params.num_class = String(numberField(request, NUM_CLASS, 3, 1_000_000)); }
    return params;
  },
};
