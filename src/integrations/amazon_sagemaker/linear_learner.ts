// amazon_sagemaker_train_linearlearner: SageMaker's Linear Learner on a Look's results (the first
// column is the label), the official hub's name, params and form.
import { FormField } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { UserError } from "../../lib/errors";
import { linearLearnerImage } from "./algorithm_images";
import { numberField, requiredValue } from "./sagemaker_form";
import { Algorithm } from "./sagemaker_train";

const PREDICTORS = ["binary_classifier", "multiclass_classifier", "regressor"];
const PREDICTOR_TYPE: FormField = {
  type: "select", label: "Predictor Type", name: "predictorType", required: true, default: "binary_classifier",
  options: PREDICTORS.map((p) => ({ name: p, label: p })), description: "The type of predictor to be performed.",
};
const NUM_CLASSES: FormField = {
  type: "string", label: "Number of classes", name: "numClasses", default: "3",
  description: "The number of classifications. Valid values: 3 to 1000000. Required if predictor type is " +
    "multiclass_classifier. Otherwise ignored.",
};
const EPOCHS: FormField = {
  type: "string", label: "Epochs", name: "epochs", default: "15",
  description: "The number of rounds to run. Valid values: 1 to 1000000.",
};

export const LINEAR_LEARNER: Algorithm = {
  name: "Linear Learner",
  image: linearLearnerImage,
  fields: [PREDICTOR_TYPE, NUM_CLASSES],
  roundsField: EPOCHS,
  check(request: ActionRequest) { this.hyperParameters(request, 2); },
  hyperParameters(request: ActionRequest, columns: number) {
    const predictor = requiredValue(request, PREDICTOR_TYPE);
    if (!PREDICTORS.includes(predictor)) {
      throw new UserError(`Predictor Type must be one of ${PREDICTORS.join(", ")}.`,
        { predictorType: "Choose a predictor type." });
    }
    // Every column but the first (the label) is a feature: counted from the data's header, which
    // holds what the CSV holds (the official hub counted the query's fields).
    const fields = columns || (request.scheduledPlan?.query?.fields?.length ?? 0);
    if (fields < 2) {
      throw new UserError("Linear Learner needs the label in the first column and at least one feature column after " +
        "it; the data has fewer columns.");
    }
    const params: Record<string, string> = { predictor_type: predictor, feature_dim: String(fields - 1),
      epochs: String(numberField(request, EPOCHS, 1, 1_000_000)) };
    if (predictor === "multiclass_classifier") {
      params.num_classes = String(numberField(request, NUM_CLASSES, 3, 1_000_000));
    }
    return params;
  },
};
