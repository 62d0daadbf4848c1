# frozen_string_literal: true

class Projects::TreeController < Projects::ApplicationController
  include ExtractsPath
  include RedirectsForMissingPathOnTree

  before_action :assign_ref_vars
  before_action :authorize_read_code!

  feature_category :source_code_management
  urgency :low, [:show]

  def show
    return render_404 unless @commit

    @ref_type = ref_type
    if tree.entries.empty?
      redirect_to_tree_root_for_missing_path(@project, @ref, @path) if @path.present?
    end
  end

  private

  def tree
    @tree ||= @repository.tree(@commit.id, @path)
  end
end
