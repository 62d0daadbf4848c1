# frozen_string_literal: true

module API
  class Tags < ::API::Base
    include PaginationParams

    TAG_ENDPOINT_REQUIREMENTS = API::NAMESPACE_OR_PROJECT_REQUIREMENTS.merge(tag_name: API::NO_SLASH_URL_PART_REGEX)

    before { authorize_read_code! }

    feature_category :source_code_management
    urgency :low

    resource :projects, requirements: API::NAMESPACE_OR_PROJECT_REQUIREMENTS do
      desc 'Get a project repository tags'
      get ':id/repository/tags', feature_category: :source_code_management, urgency: :low do
        tags = ::TagsFinder.new(user_project.repository, sort: "#{params[:order_by]}_#{params[:sort]}", search: params[:search]).execute
        present paginate(::Kaminari.paginate_array(tags)), with: Entities::Tag, project: user_project
      end

      desc 'Get a single repository tag'
      get ':id/repository/tags/:tag_name', requirements: TAG_ENDPOINT_REQUIREMENTS do
        tag = user_project.repository.find_tag(params[:tag_name])
        not_found!('Tag') unless tag
        present tag, with: Entities::Tag, project: user_project
      end

      desc 'Create a new repository tag'
      post ':id/repository/tags' do
        result = ::Tags::CreateService.new(user_project, current_user).execute(params[:tag_name], params[:ref], params[:message])
        present result[:tag], with: Entities::Tag, project: user_project
      end
    end
  end
end
