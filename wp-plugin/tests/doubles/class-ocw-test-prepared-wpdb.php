<?php
/**
 * A wpdb double that checks what reaches SQL: it records every prepare() call and refuses
 * (throws) when a value the test marked untrusted appears in a prepare() template or in a
 * query that did not come out of prepare().
 *
 * @package OnCloudWine\Tests
 */

/**
 * Strict wpdb double for SQL-injection tests.
 */
class OCW_Test_Prepared_Wpdb extends OCW_Test_Wpdb {

	/**
	 * Every prepare() call: array( 'template' => string, 'args' => array, 'sql' => string ).
	 *
	 * @var array
	 */
	public $prepared = array();

	/**
	 * Values from the request that must only reach SQL as prepare() arguments.
	 *
	 * @var array
	 */
	private $untrusted = array();

	/**
	 * Marks values as coming from the request.
	 *
	 * @param mixed ...$values Values.
	 */
	public function untrusted( ...$values ) {
		foreach ( $values as $value ) {
			if ( '' !== (string) $value ) {
				$this->untrusted[] = (string) $value;
			}
		}
	}

	/**
	 * Records the call; refuses an untrusted value in the template.
	 *
	 * @param string $query   Template.
	 * @param mixed  ...$args Arguments.
	 * @return string
	 */
	public function prepare( $query, ...$args ) {
		$this->refuse_untrusted( $query, 'a prepare() template' );
		if ( isset( $args[0] ) && is_array( $args[0] ) ) {
			$args = $args[0];
		}
		$sql              = parent::prepare( $query, $args );
		$this->prepared[] = array(
			'template' => $query,
			'args'     => $args,
			'sql'      => $sql,
		);
		return $sql;
	}

	/**
	 * Refuses an untrusted value in a query that did not come out of prepare().
	 *
	 * @param string $query  SQL.
	 * @param string $output Row shape.
	 * @return mixed
	 */
	public function get_results( $query = null, $output = OBJECT ) {
		$this->check( $query );
		return parent::get_results( $query, $output );
	}

	/**
	 * Refuses an untrusted value in a query that did not come out of prepare().
	 *
	 * @param string $query SQL.
	 * @param int    $x     Column.
	 * @param int    $y     Row.
	 * @return mixed
	 */
	public function get_var( $query = null, $x = 0, $y = 0 ) {
		$this->check( $query );
		return parent::get_var( $query, $x, $y );
	}

	/**
	 * Refuses an untrusted value in a query that did not come out of prepare().
	 *
	 * @param string $query SQL.
	 * @return int
	 */
	public function query( $query ) {
		$this->check( $query );
		return parent::query( $query );
	}

	/**
	 * Whether a query is the output of one of the prepare() calls.
	 *
	 * @param string $sql SQL.
	 * @return bool
	 */
	public function was_prepared( $sql ) {
		return in_array( $sql, array_column( $this->prepared, 'sql' ), true );
	}

	/**
	 * Refuses a query that carries an untrusted value without having gone through prepare().
	 *
	 * @param string $sql SQL.
	 */
	private function check( $sql ) {
		if ( ! $this->was_prepared( $sql ) ) {
			$this->refuse_untrusted( $sql, 'a query that did not go through prepare()' );
		}
	}

	/**
	 * Throws when an untrusted value is part of $sql.
	 *
	 * @param string $sql   SQL text.
	 * @param string $where What the text is.
	 * @throws RuntimeException When it is.
	 */
	private function refuse_untrusted( $sql, $where ) {
		foreach ( $this->untrusted as $value ) {
			if ( false !== strpos( (string) $sql, $value ) ) {
				throw new RuntimeException( "untrusted value '" . $value . "' reached " . $where . ': ' . $sql );
			}
		}
	}
}
