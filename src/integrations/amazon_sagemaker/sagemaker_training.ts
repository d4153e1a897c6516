// amazon_sagemaker_train_xgboost and amazon_sagemaker_train_linearlearner: one class, each
// integration its name and algorithm. The official hub's names, params and forms.
import { ActionForm } from "../../hub/action_form";
import { ActionRequest, ActionType } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import {
  DownloadSetting, Format, Formatting, iconBeside, Integration, Param, VisualizationFormatting,
} from "../../hub/integration";
import { LINEAR_LEARNER } from "./linear_learner";
import { sageMakerParams } from "./sagemaker_form";
import { Algorithm, SageMakerSettings, trainingExecute, trainingFields, trainingForm } from "./sagemaker_train";
import { XGBOOST } from "./xgboost";

interface Declaration {
  name: string;
  label: string;
  description: string;
  algorithm: Algorithm;
}

export class SageMakerTrainingIntegration extends Integration {
  readonly name: string;
  readonly label: string;
  readonly description: string;
  readonly icon = iconBeside(__dirname, "sagemaker_train.svg");
  readonly params: Param[] = sageMakerParams(false);
  readonly supportedActionTypes: ActionType[] = ["query"];
  readonly supportedFormats: Format[] = ["csv"];
  readonly supportedFormattings: Formatting[] = ["unformatted"];
  readonly supportedVisualizationFormattings: VisualizationFormatting[] = ["noapply"];
  readonly supportedDownloadSettings: DownloadSetting[] = ["push", "url"];
  private readonly algorithm: Algorithm;

  constructor(declaration: Declaration, private readonly settings: SageMakerSettings) {
    super();
    this.name = declaration.name;
    this.label = declaration.label;
    this.description = declaration.description;
    this.algorithm = declaration.algorithm;
  }

  async form(request: ActionRequest): Promise<ActionForm> {
    return trainingForm(this.settings, this.algorithm, request);
  }

  /** The execute checks the form's fields without listing the buckets again. */
  async validationForm(): Promise<ActionForm> { return new ActionForm(trainingFields(this.algorithm)); }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    return trainingExecute(this.settings, this.algorithm, request);
  }
}

export function sageMakerTrainingIntegrations(settings: SageMakerSettings): Integration[] {
  return [
    new SageMakerTrainingIntegration({ name: "amazon_sagemaker_train_xgboost", label: "Amazon SageMaker Train: Xgboost",
      description: "Start a training job on Amazon SageMaker, using the Xgboost algorithm.", algorithm: XGBOOST },
      settings),
    new SageMakerTrainingIntegration({ name: "amazon_sagemaker_train_linearlearner",
      label: "Amazon SageMaker Train: Linear Learner",
      description: "Start a training job on Amazon SageMaker, using the Linear Learner algorithm.",
      algorithm: LINEAR_LEARNER }, settings),
  ];
}
