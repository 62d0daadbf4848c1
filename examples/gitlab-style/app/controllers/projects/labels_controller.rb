# frozen_string_literal: true

class Projects::LabelsController < Projects::ApplicationController
  include ToggleSubscriptionAction

  before_action :label, only: [:edit, :update, :destroy]
  before_action :authorize_read_label!

  feature_category :team_planning, [:index, :edit, :update]
  # Deliberate mistake for `budget-lens lint`: :index already has a category above.
  feature_category :service_desk, [:index]

  def index
    @prioritized_labels = @available_labels.prioritized(@project)
    @labels = @available_labels.unprioritized(@project).page(params[:page])
  end

  def edit
    @previous_labels_path = project_labels_path(@project)
  end

  def update
    @label = Labels::UpdateService.new(label_params).execute(@label)
    redirect_to project_labels_path(@project)
  end

  private

  def label
    @label ||= @project.labels.find(params[:id])
  end

  def label_params
    params.require(:label).permit(:title, :description, :color)
  end
end
