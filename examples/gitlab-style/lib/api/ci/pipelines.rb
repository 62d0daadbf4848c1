# frozen_string_literal: true

module API
  module Ci
    class Pipelines < ::API::Base
      include PaginationParams

      before { authenticate_non_get! }

      feature_category :continuous_integration

      params do
        requires :id, types: [String, Integer], desc: 'The ID or URL-encoded path of the project'
      end
      resource :projects, requirements: ::API::API::NAMESPACE_OR_PROJECT_REQUIREMENTS do
        desc 'Get all Pipelines of the project'
        get ':id/pipelines', urgency: :low do
          pipelines = ::Ci::PipelinesFinder.new(user_project, current_user, params).execute
          present paginate(pipelines), with: Entities::Ci::PipelineBasic, project: user_project
        end

        desc 'Gets a specific pipeline for the project'
        get ':id/pipelines/:pipeline_id', urgency: :high do
          present pipeline, with: Entities::Ci::Pipeline
        end

        desc 'Retry builds in the pipeline'
        post ':id/pipelines/:pipeline_id/retry', feature_category: :continuous_integration do
          authorize! :update_pipeline, pipeline
          ::Ci::RetryPipelineWorker.perform_async(pipeline.id, current_user.id)
          present pipeline, with: Entities::Ci::Pipeline
        end

        desc 'Get the merge train of a target branch'
        get ':id/merge_trains', feature_category: :merge_trains do
          present paginate(::MergeTrains::CarsFinder.new(user_project, current_user, params).execute), with: Entities::MergeTrains::Car
        end
      end
    end
  end
end
